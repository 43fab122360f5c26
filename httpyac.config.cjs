// httpyac's settings for api.http (https://httpyac.github.io/config/); VS Code's REST Client reads
// .vscode/settings.json instead. `npx httpyac send api.http --all` runs every example in order.

/** REST Client's reference to a named request's JSON reply: {{name.response.body.$.a.b[0].c}}. */
const replyReference = /\{\{\s*(\w+)\.response\.body\.\$((?:\.\w+|\[\d+\])*)\s*\}\}/g;

module.exports = {
  // The base URL when none is given; `--var base=http://host:port/api` overrides it.
  environments: { $default: { base: 'http://127.0.0.1:7071/api' } },
  configureHooks(api) {
    // httpyac binds "# @name x" to the reply's parsed body (and x + "Response" to the whole reply)
    // and evaluates {{…}} as JavaScript, so REST Client's syntax fails there; this resolves it first.
    api.hooks.replaceVariable.addHook(
      'restClientReplyReferences',
      async (text, _type, context) => {
        if (typeof text !== 'string') return text;
        return text.replace(replyReference, (whole, name, path) => {
          const reply = context.variables[`${name}Response`]?.parsedBody;
          const value = (path.match(/\w+/g) ?? []).reduce((at, step) => (at == null ? undefined : at[step]), reply);
          return value === undefined || value === null ? whole : String(value);
        });
      },
      { before: ['javascript'] },
    );
    // Each example must answer a success, or the status its "# @expect NNN" line names: a test per request.
    api.hooks.onResponse.addHook('expectedStatus', async (response, context) => {
      const expected = /^\d{3}/.exec(String(context.httpRegion.metaData.expect ?? ''))?.[0];
      const test = api.utils.testFactoryAsync(context, { ignoreErrorFile: true });
      await test(`status is ${expected ?? 'a success (2xx)'}`, async () => {
        const ok = expected ? response.statusCode === Number(expected) : response.statusCode >= 200 && response.statusCode < 300;
        if (!ok) throw new Error(`answered ${response.statusCode}: ${String(response.body ?? '').slice(0, 300)}`);
      });
    });
  },
};
