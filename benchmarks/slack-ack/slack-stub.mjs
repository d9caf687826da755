// Stands in for slack.com while the benchmark runs, so NetOpsBot's background work (cards, thread lines,
// response_url answers) has somewhere to go: every Web API method answers ok, every response_url 200.
// Usage: node slack-stub.mjs PORT
import http from 'node:http';

const [port] = process.argv.slice(2);
let n = 0;
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    n++;
    if (req.url.startsWith('/api/')) {
      const method = req.url.slice(5).split('?')[0];
      const body = method === 'users.info'
        ? { ok: true, user: { id: 'U', name: 'bench', profile: { display_name: 'bench' } } }
        : { ok: true, channel: 'C0BENCH001', ts: `1700000000.${String(n).padStart(6, '0')}` };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    } else {
      res.writeHead(200);
      res.end('ok');
    }
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`stub listening on ${port}`));
