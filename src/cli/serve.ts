import { openStore } from '../store/index.js';
import { startServer, TokenRequiredError } from '../server/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_OK, UsageError, type Command } from './command.js';
import { parseMaxBytes } from './ingest.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the web UI and the HTTP API (JSON under /api, OpenAPI at /api/openapi.json) on the database.',
  usage: 'serve [--port 8080] [--host 127.0.0.1] [--db FILE] [--token TOKEN] [--allow-private-urls] [--max-upload N]',
  help: [
    dbHelp,
    '--port N           port to listen on (default 8080; 0 picks a free one)',
    '--host HOST        address to listen on (default 127.0.0.1); any other than loopback needs --token',
    '--token TOKEN      token that adding articles needs (or $TRIANGULATE_TOKEN); send it as Authorization: Bearer TOKEN',
    '--allow-private-urls  let URL submission fetch private, loopback and link-local addresses (off: no SSRF)',
    '--max-upload N     largest upload per request (default 20 MB; e.g. 500KB, 50MB)',
  ],
  options: { ...dbOption, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, 'allow-private-urls': { type: 'boolean' }, 'max-upload': { type: 'string' } },
  async run({ values }, io) {
    const port = Number(values.port ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not "${values.port}"`);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const token = (values.token as string | undefined) ?? io.env.TRIANGULATE_TOKEN ?? null;
    if (token !== null && token.length < 16) throw new UsageError('the token must be at least 16 characters long (try: openssl rand -hex 16)');
    const store = await openStore(storeOptions(values, io.env));
    let server;
    try {
      server = await startServer({
        store, host, port, token, allowPrivateUrls: Boolean(values['allow-private-urls']),
        maxUploadBytes: parseMaxBytes(values['max-upload'] as string | undefined),
      });
    } catch (error) {
      await store.close();
      if (error instanceof TokenRequiredError) throw new UsageError(error.message);
      throw error;
    }
    io.stderr.write(`Triangulate is serving ${store.location} at ${server.url}/ (API: ${server.url}/api/openapi.json)${token ? '; adding articles needs the token' : ''}. Ctrl-C stops it.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.app.close();
    await store.close();
    return EXIT_OK;
  },
};
