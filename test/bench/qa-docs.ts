// Test documents for the retrieval benches: three short reports, split into passages by paragraph,
// and questions whose answer is one sentence of one passage.

export const DOCUMENTS: Record<string, string> = {
  'vendor-contract.md': `# Vendor contract

Payment is due within thirty days of the invoice date. Late payments carry a fee of two percent per month on the open amount.

Either party may end this contract with ninety days of written notice. Notice is sent by registered mail to the address on the first page.

The vendor keeps all customer data in the European Union. No data leaves the region without the written consent of the customer.

The vendor answers support requests within four business hours. A critical outage is answered within thirty minutes, day or night.`,
  'clinic-notes.md': `# Clinic notes

The patient reported mild headaches after the second dose. She was advised to rest, drink water and take the next dose with food.

Blood pressure was measured at each visit. It stayed between 118 and 126 over 78 to 84 for the whole period.

The follow-up visit is planned for the first week of March. The patient should bring the diary of her symptoms to that visit.

No allergy to the medication was found. The skin test on the left arm was negative after forty-eight hours.`,
  'build-report.md': `# Build report

The build runs the unit tests in Node before the browser tests start in Chromium. A failing unit test stops the build before any browser starts.

The model files are served by a local server during the tests. The server logs every request so that the tests can check what was fetched.

The page thread must never run a task longer than fifty milliseconds. Long work such as reading a PDF runs in a worker instead.

The release is signed with the key of the build machine. The signature is checked by the installer before anything is written to disk.`,
};

export interface Question {
  question: string;
  /** The sentence of the documents that answers it. */
  answer: string;
}

export const QUESTIONS: Question[] = [
  { question: 'When is payment due?', answer: 'Payment is due within thirty days of the invoice date.' },
  { question: 'How can the contract be ended?', answer: 'Either party may end this contract with ninety days of written notice.' },
  { question: 'Where does the vendor keep customer data?', answer: 'The vendor keeps all customer data in the European Union.' },
  { question: 'How fast is a critical outage answered?', answer: 'A critical outage is answered within thirty minutes, day or night.' },
  { question: 'What did the patient report after the second dose?', answer: 'The patient reported mild headaches after the second dose.' },
  { question: 'When is the follow-up visit planned?', answer: 'The follow-up visit is planned for the first week of March.' },
  { question: 'Was an allergy to the medication found?', answer: 'No allergy to the medication was found.' },
  {
    question: 'In what order does the build run the tests?',
    answer: 'The build runs the unit tests in Node before the browser tests start in Chromium.',
  },
  {
    question: 'How long may a task on the page thread run?',
    answer: 'The page thread must never run a task longer than fifty milliseconds.',
  },
  {
    question: 'Who checks the signature of the release?',
    answer: 'The signature is checked by the installer before anything is written to disk.',
  },
];

/** Each document's paragraphs (headings dropped), with the document's name. */
export function passages(): { doc: string; text: string }[] {
  return Object.entries(DOCUMENTS).flatMap(([doc, text]) =>
    text
      .split(/\n\n+/)
      .filter((p) => !p.startsWith('#'))
      .map((p) => ({ doc, text: p.trim() })),
  );
}
