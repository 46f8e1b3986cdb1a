/** Documents and questions the RAG tests share: each question is answered by exactly one document. */
export const RAG_DOCS = [
  {
    title: 'refund-policy.md',
    text:
      'Refund policy. Customers may return any hardware within 30 days of delivery for a full refund. ' +
      'Refunds are paid to the original payment card within five business days. ' +
      'Opened software licences cannot be refunded.',
  },
  {
    title: 'gpu-quota.md',
    text:
      'Requesting GPU quota. Azure subscriptions start with zero NCads A100 v4 cores in most regions. ' +
      'Open a quota request in the portal for the Standard NCADSA100v4 Family and wait for approval before deploying a KAITO workspace. ' +
      'Quota is granted per region.',
  },
  {
    title: 'oncall-rota.md',
    text:
      'On-call rota. The platform team rotates the pager every Monday at 09:00 UTC. ' +
      'Escalate an incident to the secondary engineer after fifteen minutes without acknowledgement. ' +
      'The rota lives in the incident tool.',
  },
];

export const RAG_QUESTIONS: Array<{ q: string; title: string }> = [
  {
    q: 'How many days do customers have to get a refund for returned hardware?',
    title: 'refund-policy.md',
  },
  {
    q: 'Which quota family must I request before deploying an A100 GPU workspace?',
    title: 'gpu-quota.md',
  },
  {
    q: 'When does the pager rotate and when should I escalate an incident?',
    title: 'oncall-rota.md',
  },
];

export function ragIndexBody(index: string) {
  return {
    index_name: index,
    documents: RAG_DOCS.map(d => ({
      text: d.text,
      metadata: { title: d.title, origin: 'text' },
    })),
  };
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
