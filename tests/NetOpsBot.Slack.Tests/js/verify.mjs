// Bolt's own request verifier as an independent oracle. Reads a JSON array of cases from stdin:
// { secret, bodyBase64, timestamp, signature, nowMs } and prints a JSON array of { valid, reason }.
import bolt from '@slack/bolt';

const { verifySlackRequest } = bolt;
const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));
const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel() {}, setName() {} };
const results = input.map((c) => {
  try {
    verifySlackRequest({
      signingSecret: c.secret,
      body: Buffer.from(c.bodyBase64, 'base64').toString('utf8'),
      headers: { 'x-slack-signature': c.signature ?? undefined, 'x-slack-request-timestamp': c.timestamp == null ? undefined : Number(c.timestamp) },
      nowMilliseconds: c.nowMs,
      logger: silent,
    });
    return { valid: true, reason: null };
  } catch (e) {
    return { valid: false, reason: String(e.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
