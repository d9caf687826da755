// Slack's official clients against the fake Slack: if @slack/web-api and @slack/socket-mode work with it,
// the fake speaks Slack's wire format (answer shapes, errors, 429 + Retry-After, Socket Mode envelopes).
// Usage: node official-clients.mjs <apiUrl> <botToken> <appToken>. Prints "ok <check>" / "FAIL <check>: why",
// then "socket-ready" and acknowledges slash_commands envelopes until killed.
import { WebClient, ErrorCode, LogLevel } from '@slack/web-api';
import { SocketModeClient } from '@slack/socket-mode';

const [apiUrl, botToken, appToken] = process.argv.slice(2);
const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel() { return LogLevel.ERROR; }, setName() {} };
const web = new WebClient(botToken, { slackApiUrl: apiUrl, logger: silent, retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 } });
let failed = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e?.message ?? e}`); }
}
function expect(cond, why) { if (!cond) throw new Error(why); }
async function platformError(promise, code) {
  try { await promise; } catch (e) {
    expect(e.code === ErrorCode.PlatformError, `expected a platform error, got ${e.code}`);
    expect(e.data?.error === code, `expected ${code}, got ${e.data?.error}`);
    return e;
  }
  throw new Error(`expected ${code}, call succeeded`);
}

await check('auth.test', async () => { const r = await web.auth.test(); expect(r.ok && r.user_id, JSON.stringify(r)); });
let ts;
await check('chat.postMessage with blocks', async () => {
  const r = await web.chat.postMessage({ channel: 'C0NETOPS01', text: 'fallback', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }], unfurl_links: false, unfurl_media: false });
  expect(r.ok && r.ts && r.channel === 'C0NETOPS01', JSON.stringify(r)); ts = r.ts;
});
await check('chat.postMessage thread reply', async () => {
  const r = await web.chat.postMessage({ channel: 'C0NETOPS01', text: 'reply', thread_ts: ts, unfurl_links: false, unfurl_media: false });
  expect(r.ok, JSON.stringify(r));
});
await check('chat.update', async () => { const r = await web.chat.update({ channel: 'C0NETOPS01', ts, text: 'edited' }); expect(r.ok && r.ts === ts, JSON.stringify(r)); });
await check('chat.update unknown ts -> message_not_found', () => platformError(web.chat.update({ channel: 'C0NETOPS01', ts: '1.000001', text: 'x' }), 'message_not_found'));
await check('chat.postMessage where the bot is not -> not_in_channel', () => platformError(web.chat.postMessage({ channel: 'C0NOBOT001', text: 'x' }), 'not_in_channel'));
await check('chat.postMessage 51 blocks -> invalid_blocks', async () => {
  const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
  const e = await platformError(web.chat.postMessage({ channel: 'C0NETOPS01', text: 'x', blocks }), 'invalid_blocks');
  expect(e.data.response_metadata?.messages?.length > 0, 'no response_metadata.messages');
});
await check('chat.postEphemeral', async () => { const r = await web.chat.postEphemeral({ channel: 'C0NETOPS01', user: 'U0BOB00002', text: 'psst' }); expect(r.ok && r.message_ts, JSON.stringify(r)); });
await check('chat.postEphemeral user not in channel', () => platformError(web.chat.postEphemeral({ channel: 'C0NETOPS01', user: 'U0NOBODY99', text: 'x' }), 'user_not_in_channel'));
await check('users.info', async () => { const r = await web.users.info({ user: 'U0ALICE001' }); expect(r.user?.name === 'alice' && r.user?.profile?.display_name, JSON.stringify(r)); });
await check('usergroups.users.list', async () => { const r = await web.usergroups.users.list({ usergroup: 'S0NETADMIN' }); expect(r.users?.includes('U0BOB00002'), JSON.stringify(r)); });
await check('usergroups.users.list unknown -> no_such_subteam', () => platformError(web.usergroups.users.list({ usergroup: 'S0NOPE0000' }), 'no_such_subteam'));
await check('wrong token -> invalid_auth', () => platformError(new WebClient('xoxb-wrong', { slackApiUrl: apiUrl, logger: silent }).auth.test(), 'invalid_auth'));
await check('429 with Retry-After: the official client waits and retries', async () => {
  // The test armed one 429 (Retry-After: 1) on conversations.members before starting us.
  const started = Date.now();
  const r = await web.conversations.members({ channel: 'C0NETOPS01' });
  const waited = Date.now() - started;
  expect(r.ok, JSON.stringify(r));
  expect(waited >= 900, `retried after ${waited} ms, not after Retry-After`);
});
await check('apps.connections.open with the app token', async () => {
  const r = await new WebClient(appToken, { slackApiUrl: apiUrl, logger: silent }).apps.connections.open();
  expect(r.ok && /^wss?:\/\//.test(r.url), JSON.stringify(r));
});
console.log(`web-api done, ${failed} failed`);

const socket = new SocketModeClient({ appToken, logger: silent, clientOptions: { slackApiUrl: apiUrl } });
socket.on('slash_commands', async ({ ack, body }) => { await ack({ response_type: 'ephemeral', text: `official client got ${body.text}` }); console.log(`slash ${body.text}`); });
socket.on('interactive', async ({ ack, body }) => { await ack(); console.log(`interactive ${body.actions?.[0]?.action_id}`); });
socket.on('connected', () => console.log('socket-ready'));
await socket.start();
