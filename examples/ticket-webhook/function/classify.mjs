/**
 * Ticket triage: a priority from the ticket's labels and the words in its title and body. The first rule
 * that matches wins, so a ticket labelled `bug` that says the site is down is still P1.
 */

const RULES = [
  { priority: 'P1', labels: ['outage', 'incident', 'sev1', 'p1', 'security'], words: ['outage', 'down', 'data loss', 'breach', 'unreachable'] },
  { priority: 'P2', labels: ['bug', 'regression', 'sev2', 'p2'], words: ['error', 'broken', 'crash', 'crashes', 'fails', 'failing', 'regression'] },
  { priority: 'P3', labels: ['performance', 'sev3', 'p3'], words: ['slow', 'degraded', 'timeout', 'timeouts', 'flaky'] },
];
/** What no rule claims: questions, ideas, chores. */
const DEFAULT_PRIORITY = 'P4';

/** Whole words only: "down" must not match "download" or "shutdown". */
const wordPattern = (word) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
const COMPILED = RULES.map((rule) => ({ ...rule, patterns: rule.words.map((word) => [word, wordPattern(word)]) }));

/** `{ priority, reasons }` for a ticket `{ title, body, labels }`; `reasons` says what matched, for the on-call reader. */
export function classify(ticket) {
  const labels = new Set(ticket.labels.map((label) => label.toLowerCase()));
  const text = `${ticket.title}\n${ticket.body}`;
  for (const rule of COMPILED) {
    const reasons = [
      ...rule.labels.filter((label) => labels.has(label)).map((label) => `label:${label}`),
      ...rule.patterns.filter(([, pattern]) => pattern.test(text)).map(([word]) => `word:${word}`),
    ];
    if (reasons.length > 0) return { priority: rule.priority, reasons };
  }
  return { priority: DEFAULT_PRIORITY, reasons: [] };
}
