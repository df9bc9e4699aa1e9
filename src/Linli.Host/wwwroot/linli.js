// What Linli's own pages share: building DOM from text (never from HTML strings) and calling Linli's API.
window.Linli = (() => {
  'use strict';
  /** An element with attributes (on* are listeners) and children; strings become text nodes; null parts are skipped. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  /** replaceChildren without the nulls of optional parts. */
  const fill = (node, ...children) => node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));

  /** JSON (or a FormData upload) to Linli's API; signed out → to the sign-in page and back. Returns { ok, status, data }. */
  async function api(method, url, payload, headers) {
    const form = payload instanceof FormData;
    const response = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { ...(payload && !form ? { 'Content-Type': 'application/json' } : {}), ...(headers ?? {}) },
      body: form ? payload : payload ? JSON.stringify(payload) : undefined,
    });
    if (response.status === 401) { location.href = '/signin?returnUrl=' + encodeURIComponent(location.pathname + location.hash); throw new Error('signed out'); }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, data };
  }

  return { el, fill, api };
})();
