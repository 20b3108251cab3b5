/*
 * kreyol.mjs: whether a page shown in Kreyòl carries Spanish interface
 * text: any of src/base/strings_es.c's texts in what the page shows or says to
 * a screen reader (text, title, labels, alternative texts), outside
 * elements marked as another language (the switch to "Español" is rightly
 * in Spanish). The browser side of tests/integration/test_kreyol.c.
 */
import * as L from './lib.mjs';

const ES = L.stringsTable('es');
const HT = L.stringsTable('ht');

export const SPANISH_SUBMIT = ES.S_SUBMIT;

/* The Spanish interface texts found in text, as 'S_ID: "text"'. Texts the
 * same in both languages are skipped; one-word texts ("en", "y", "o")
 * count only as whole words. */
export function spanishIn(text) {
  const found = [];
  for (const [id, es] of Object.entries(ES)) {
    if (es === HT[id]) continue;
    const hit = /\s/.test(es) ? text.includes(es)
      : new RegExp(`(^|[^\\p{L}])${es.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(text);
    if (hit) found.push(`${id}: "${es}"`);
  }
  return found;
}

/* What the page shows and says, outside parts marked as another language. */
export function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.title];
    const walk = (el) => {
      const lang = el.getAttribute('lang');
      if (lang && !/^ht\b/i.test(lang)) return;
      for (const a of ['title', 'aria-label', 'alt', 'placeholder']) if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
      if (el.matches('input[type=submit], input[type=button]')) parts.push(el.value);
      for (const n of el.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent);
        else if (n.nodeType === Node.ELEMENT_NODE && !['SCRIPT', 'STYLE'].includes(n.tagName)) walk(n);
      }
    };
    walk(document.body);
    return parts.join('\n');
  });
}
