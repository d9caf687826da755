// N distinct signed /sshdiag slash commands (Slack's form fields, v0 signature at the current time), one
// per line as "timestamp<TAB>signature<TAB>body" for commands.lua. Every line has its own trigger_id, so
// each one NetOpsBot receives is new to it and takes the durable-record path, never the replay answer.
// Usage: node gen-requests.mjs N SECRET RESPONSE_BASE OUT.tsv [USERS]
import { createHmac, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';

const [count, secret, responseBase, out, usersArg] = process.argv.slice(2);
const users = Number(usersArg ?? 500);
const devices = ['sw-access-12', 'sw-access-13', 'sw-access-14', 'sw-agg-01'];
const ts = Math.floor(Date.now() / 1000).toString();
const run = randomUUID().replaceAll('-', '').slice(0, 12);
const file = createWriteStream(out);
for (let i = 0; i < Number(count); i++) {
  const u = i % users;
  const user = `U0BENCH${String(u).padStart(4, '0')}`;
  const fields = {
    token: 'deprecated', team_id: 'T0BENCH001', team_domain: 'bench', channel_id: `C0BENCH${String(u % 50).padStart(3, '0')}`, channel_name: 'bench',
    user_id: user, user_name: user.toLowerCase(), command: '/sshdiag', text: devices[i % devices.length], api_app_id: 'A0BENCH001',
    is_enterprise_install: 'false', response_url: `${responseBase}/response/${i}`, trigger_id: `${i}.${run}.${Date.now()}`,
  };
  const body = new URLSearchParams(fields).toString();
  const sig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  if (!file.write(`${ts}\t${sig}\t${body}\n`)) {
    await new Promise(resolve => file.once('drain', resolve));
  }
}
await new Promise(resolve => file.end(resolve));
