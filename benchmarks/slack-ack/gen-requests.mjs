// N distinct signed /sshdiag slash commands (Slack's form fields, v0 signature at the current time) as a
// Lua table for wrk. Usage: node gen-requests.mjs N SECRET RESPONSE_BASE OUT.lua
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [count, secret, responseBase, out] = process.argv.slice(2);
const devices = ['sw-access-12', 'sw-access-13', 'sw-access-14', 'sw-agg-01'];
const ts = Math.floor(Date.now() / 1000).toString();
const lua = ['return {'];
for (let i = 0; i < Number(count); i++) {
  const user = `U0BENCH${String(i).padStart(4, '0')}`;
  const fields = {
    token: 'deprecated', team_id: 'T0BENCH001', team_domain: 'bench', channel_id: `C0BENCH${String(i % 50).padStart(3, '0')}`, channel_name: 'bench',
    user_id: user, user_name: user.toLowerCase(), command: '/sshdiag', text: devices[i % devices.length], api_app_id: 'A0BENCH001',
    is_enterprise_install: 'false', response_url: `${responseBase}/response/${i}`, trigger_id: `${i}.${Date.now()}.${randomUUID().replaceAll('-', '')}`,
  };
  const body = new URLSearchParams(fields).toString();
  const sig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  lua.push(`  { body = ${JSON.stringify(body)}, ts = "${ts}", sig = "${sig}" },`);
}
lua.push('}');
writeFileSync(out, lua.join('\n'));
