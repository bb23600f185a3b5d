// sotay live reload. `sotay serve` injects this script into the pages it serves; a built
// site never contains it. It is a file (not inline code) so pages keep working under a
// Content-Security-Policy of `default-src 'self'`.
(function () {
  'use strict';
  var script = document.currentScript;
  var generation = script ? Number(script.getAttribute('data-generation')) : 0;
  var scrollKey = 'sotay-scroll:' + location.pathname;

  // Put the reader back where they were before a content reload.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var pos = JSON.parse(saved);
      if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
      // Instantly, even where the theme asks for smooth scrolling.
      var restore = function () { window.scrollTo({ left: pos.x, top: pos.y, behavior: 'instant' }); };
      restore();
      window.addEventListener('load', restore);
    }
  } catch (e) { /* storage may be disabled: reload without restoring */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  // The site path of this page as the server names it (`/a/b/` for `/a/b/index.html`).
  function currentPath() {
    var path = location.pathname;
    try { path = decodeURI(path); } catch (e) { /* keep it encoded */ }
    return path.replace(/\/index\.html$/, '/');
  }

  function pathOf(href) {
    try { return decodeURI(new URL(href, location.href).pathname); } catch (e) { return ''; }
  }

  // `style.0123456789.css` → `style.css`: the name a stylesheet has before hashing.
  function unhashed(path) {
    return path.replace(/\.[0-9a-f]{10}(\.[a-z]+)$/, '$1');
  }

  function swapStylesheets(styles) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"]'));
    var swapped = 0;
    styles.forEach(function (style) {
      links.forEach(function (link) {
        var path = pathOf(link.href);
        if (path !== style.old && unhashed(path) !== unhashed(style.new)) return;
        var next = link.cloneNode();
        next.href = style.new;
        // Remove the old sheet only once the new one applies: no flash of unstyled page.
        next.addEventListener('load', function () { link.remove(); });
        next.addEventListener('error', function () { link.remove(); });
        link.after(next);
        swapped += 1;
      });
    });
    return swapped > 0;
  }

  function ensureOverlayStyles() {
    if (document.querySelector('link[href="/__sotay/overlay.css"]')) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/__sotay/overlay.css';
    document.head.appendChild(link);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Same structure as the overlay the server writes into every page while a build fails.
  function showOverlay(errors) {
    var old = document.getElementById('sotay-overlay');
    if (old) old.remove();
    ensureOverlayStyles();
    var box = el('div', 'sotay-overlay');
    box.id = 'sotay-overlay';
    box.setAttribute('role', 'alert');
    var close = el('button', 'sotay-overlay-close', 'Ẩn');
    close.type = 'button';
    box.appendChild(close);
    box.appendChild(el('h2', 'sotay-overlay-title',
      'Không dựng được trang: ' + errors.length + ' lỗi'));
    box.appendChild(el('p', 'sotay-overlay-note',
      'Đang hiện bản dựng tốt gần nhất. Sửa lỗi rồi lưu tệp: trang sẽ tự cập nhật.'));
    var list = el('ul', 'sotay-overlay-list');
    errors.forEach(function (error) {
      var item = el('li', 'sotay-overlay-item');
      if (error.location) item.appendChild(el('code', 'sotay-overlay-location', error.location));
      item.appendChild(el('span', 'sotay-overlay-message', error.message));
      if (error.hint) item.appendChild(el('p', 'sotay-overlay-hint', 'Gợi ý: ' + error.hint));
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains('sotay-overlay-close')) {
      var box = document.getElementById('sotay-overlay');
      if (box) box.hidden = true;
    }
  });

  if (!window.EventSource) return;
  var source = new EventSource('/__sotay/events');
  // Whether the page is connected, for people and tests: <html data-sotay-live="on">.
  source.addEventListener('open', function () {
    document.documentElement.setAttribute('data-sotay-live', 'on');
  });
  // On every (re)connection the server says which build it serves: a page from an older
  // build missed an event while disconnected.
  source.addEventListener('hello', function (event) {
    var data = JSON.parse(event.data);
    if (data.generation !== generation) reload();
  });
  source.onerror = function () {
    document.documentElement.setAttribute('data-sotay-live', 'off');
  };
  source.addEventListener('reload', function (event) {
    var data = JSON.parse(event.data);
    if (data.all || data.paths.indexOf(currentPath()) >= 0) {
      reload();
    } else {
      generation = data.generation;
    }
  });
  source.addEventListener('css', function (event) {
    var data = JSON.parse(event.data);
    if (swapStylesheets(data.styles)) {
      generation = data.generation;
    } else {
      reload();
    }
  });
  // Not `error`: EventSource already fires `error` for connection problems.
  source.addEventListener('build-error', function (event) {
    var data = JSON.parse(event.data);
    generation = data.generation;
    showOverlay(data.errors);
  });
})();
