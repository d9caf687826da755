// The baseline: Slack's own framework doing nothing at all. Bolt's HTTPReceiver verifies the signature
// (and the timestamp, one-sided) and the handler only acknowledges. Usage: node bolt-app.mjs PORT SECRET
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const [port, signingSecret] = process.argv.slice(2);
// authorize answers at once without calling Slack: the baseline is Bolt's own request path, nothing else.
const app = new App({ signingSecret, authorize: async () => ({}), logLevel: LogLevel.ERROR });
app.command('/sshdiag', async ({ ack }) => { await ack(); });
await app.start(Number(port));
console.log(`bolt listening on ${port}`);
