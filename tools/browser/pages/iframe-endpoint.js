// The parent page's side of Figma's envelope, for test pages that play the host: messages go to the
// iframe as {pluginMessage}, and only {pluginMessage} objects posted by that iframe come back.
// (In Figma the parent is Figma itself; the plugin sandbox sees the same unwrapped messages.)
export function iframeEndpoint(iframe) {
  return {
    send(message) {
      iframe.contentWindow.postMessage({ pluginMessage: message }, '*');
    },
    listen(handler) {
      const listener = (event) => {
        if (event.source !== iframe.contentWindow) return;
        const msg = event.data && event.data.pluginMessage;
        if (msg && typeof msg === 'object') handler(msg);
      };
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
  };
}
