// A scripted `window.canva_sdk` for the built Canva app (tests/browser/canva-app.test.ts): the
// paths the @canva/* packages read at load (canva-notes §2: each export is `canva_sdk.<path>`),
// answering as the typings document, and recording every call in `window.canvaTest`. The image
// and surface come from the query string. Any other SDK function throws, so an unscripted call fails loudly.
(() => {
  const params = new URLSearchParams(location.search);
  const record = { uploads: [], saves: [], toasts: [], added: [], violations: [], broadcasts: [], savedAt: [] };
  window.canvaTest = record;
  document.addEventListener('securitypolicyviolation', (e) => record.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
  class CanvaError extends Error {
    constructor({ code, message }) {
      super(message);
      this.code = code;
    }
  }
  let uploads = 0;
  const draft = () => {
    const contents = [{ ref: 'original-ref' }];
    return {
      contents,
      async save() {
        record.saves.push(contents.map((c) => c.ref));
        record.savedAt.push(performance.now());
      },
    };
  };
  const scripted = {
    design: {
      v2: {
        designInteraction: {
          selection: {
            registerOnChange({ scope, onChange }) {
              if (scope === 'image') setTimeout(() => onChange({ scope: 'image', count: 1, read: async () => draft() }), 0);
              return () => undefined;
            },
          },
          overlay: {
            registerOnCanOpen({ onCanOpen }) {
              setTimeout(() => onCanOpen({ canOpen: false, reason: 'no_selection' }), 0);
              return () => undefined;
            },
          },
          async addElementAtPoint(element) {
            record.added.push(element);
          },
        },
      },
    },
    asset: {
      v2: {
        content: {
          async getTemporaryUrl({ ref }) {
            return { type: 'image', ref, url: params.get('image') };
          },
          async upload(options) {
            record.uploads.push(options);
            uploads++;
            return { ref: `cutout-ref-${uploads}`, whenUploaded: async () => undefined };
          },
        },
      },
    },
    platform: {
      v2: {
        appProcess: {
          current: {
            getInfo: () => ({ processId: 'panel', surface: params.get('surface') ?? 'object_panel' }),
            setOnDispose() {},
            async requestClose() {},
          },
          broadcastMessage(m) {
            record.broadcasts.push(m);
          },
          registerOnMessage: () => async () => undefined,
          registerOnStateChange: () => async () => undefined,
          async requestClose() {},
        },
        notification: {
          addToast(t) {
            record.toasts.push(t.messageText);
            return { status: 'completed' };
          },
        },
        i18n: { getLocalizedMessages: () => ({ messages: {} }), pseudolocalize: (s) => s },
      },
    },
    intents: { v1: { design: { prepareDesignEditor: (impl) => setTimeout(() => impl.render(), 0) } } },
    error: { v2: { CanvaError } },
  };
  const unscripted = (path) =>
    new Proxy(function () {}, {
      get: (_t, key) => (key === 'then' ? undefined : unscripted(`${path}.${String(key)}`)),
      apply: () => {
        throw new Error(`canva_sdk.${path} is not scripted`);
      },
    });
  const wrap = (value, path) =>
    value !== null && typeof value === 'object'
      ? new Proxy(value, { get: (t, key) => (key in t ? wrap(t[key], `${path}.${String(key)}`) : typeof key === 'symbol' ? undefined : unscripted(`${path}.${String(key)}`)) })
      : value;
  window.canva_sdk = wrap(scripted, 'canva_sdk');
  window.__canva__ = { uiKit: { registerAppUiKitVersion: async () => undefined, getUiContext: async () => ({ theme: 'light' }), onUiContextChange: () => () => undefined } };
})();
