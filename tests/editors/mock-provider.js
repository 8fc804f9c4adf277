// A stand-in for a provider API on loopback, for the editor e2e tests: every request gets
// 401 {"error":{"code":"invalid_api_key"}}, as OpenAI answers an unknown key. Prints the
// port on its first line. Bounded: it exits after KEYLINT_MOCK_SECONDS (default 900) and
// answers at most 500 requests.
'use strict';
const http = require('http');
let served = 0;
const server = http.createServer((req, res) => {
  served += 1;
  const auth = req.headers.authorization || '';
  // Log the path and whether a key came, never the key.
  process.stderr.write(`mock: ${req.method} ${req.url} auth=${auth ? 'bearer' : 'none'}\n`);
  const body = JSON.stringify({
    error: {
      message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
  res.writeHead(401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  if (served >= 500) server.close();
});
server.listen(Number(process.env.KEYLINT_MOCK_PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
const seconds = Number(process.env.KEYLINT_MOCK_SECONDS || 900);
setTimeout(() => process.exit(0), seconds * 1000).unref();
