/**
 * The inline stylesheet and script of the HTML timeline (src/report/html.ts). They read the report
 * from a JSON <script> block and build the DOM with textContent only: report data never becomes markup.
 */

export const HTML_STYLE = `
:root { --bg:#0f1419; --panel:#161c23; --fg:#d7dde3; --dim:#7d8894; --line:#26303a;
  --error:#ff6b6b; --warning:#f5c04a; --info:#5cc8ff; --hl:#ffffff;
  --l0:#4fc3f7; --l1:#81c784; --l2:#ce93d8; --l3:#ffb74d; --l4:#90a4ae; --l5:#f06292; --l6:#aed581; --l7:#7986cb; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.45 ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif; background:var(--bg); color:var(--fg); }
header { padding:14px 20px; border-bottom:1px solid var(--line); display:flex; gap:16px; align-items:baseline; flex-wrap:wrap; }
header h1 { font-size:16px; margin:0; }
.verdict.ok { color:#7bd88f; } .verdict.bad { color:var(--error); }
.muted { color:var(--dim); }
main { display:grid; grid-template-columns:minmax(300px,32%) 1fr; min-height:calc(100vh - 52px); }
#findings { border-right:1px solid var(--line); padding:12px; overflow:auto; max-height:calc(100vh - 52px); }
#findings h2, #right h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:4px 0 10px; }
.finding { list-style:none; background:var(--panel); border:1px solid var(--line); border-left:4px solid var(--dim); border-radius:6px; padding:8px 10px; margin:0 0 10px; cursor:pointer; }
.finding:focus { outline:1px solid var(--info); }
.finding.sev-error { border-left-color:var(--error); } .finding.sev-warning { border-left-color:var(--warning); } .finding.sev-info { border-left-color:var(--info); }
.finding.selected { background:#1f2a35; border-color:var(--hl); }
.finding .head { display:flex; gap:8px; align-items:baseline; flex-wrap:wrap; }
.sev { font-size:11px; font-weight:700; text-transform:uppercase; }
.sev-error .sev { color:var(--error); } .sev-warning .sev { color:var(--warning); } .sev-info .sev { color:var(--info); }
.code { font-family:ui-monospace,Menlo,Consolas,monospace; font-weight:600; }
.finding .detail { white-space:pre-wrap; margin:6px 0; }
.finding .fix { margin:6px 0 0; } .finding .fix b { color:#7bd88f; }
.evidence { margin:6px 0 0; padding-left:18px; font-family:ui-monospace,Menlo,Consolas,monospace; font-size:11.5px; }
.evidence a { color:var(--dim); text-decoration:none; } .evidence a:hover { color:var(--fg); text-decoration:underline; }
#right { padding:12px; overflow:hidden; display:flex; flex-direction:column; gap:10px; }
.toolbar { display:flex; gap:6px; align-items:center; }
.toolbar button { background:var(--panel); color:var(--fg); border:1px solid var(--line); border-radius:4px; padding:3px 10px; cursor:pointer; font:inherit; }
.toolbar button:hover { border-color:var(--dim); }
#tl { display:flex; border:1px solid var(--line); border-radius:6px; background:var(--panel); }
#lane-names { flex:0 0 110px; border-right:1px solid var(--line); }
#track-scroll { flex:1 1 auto; overflow-x:auto; overflow-y:hidden; position:relative; }
#track { position:relative; }
.axis { height:22px; border-bottom:1px solid var(--line); position:relative; overflow:hidden; }
.tick { position:absolute; top:0; height:100%; border-left:1px solid var(--line); padding-left:3px; font-size:10.5px; color:var(--dim); white-space:nowrap; }
.lane-name { height:var(--h,30px); display:flex; align-items:center; padding:0 10px; font-weight:600; border-bottom:1px solid var(--line); }
.lane-name:first-child { height:22px; border-bottom:1px solid var(--line); }
.lane { position:relative; border-bottom:1px solid var(--line); }
.ev { position:absolute; width:10px; height:14px; margin-left:-5px; border-radius:3px; cursor:pointer; opacity:.85; border:1px solid rgba(0,0,0,.4); }
.ev:hover { opacity:1; transform:scale(1.3); }
.ev.lvl-error { box-shadow:0 0 0 2px var(--error); } .ev.lvl-warning { box-shadow:0 0 0 2px var(--warning); }
.ev.hl { opacity:1; outline:2px solid var(--hl); outline-offset:2px; z-index:5; transform:scale(1.35); }
.l0{background:var(--l0)}.l1{background:var(--l1)}.l2{background:var(--l2)}.l3{background:var(--l3)}.l4{background:var(--l4)}.l5{background:var(--l5)}.l6{background:var(--l6)}.l7{background:var(--l7)}
#tip { position:fixed; display:none; max-width:560px; max-height:60vh; overflow:hidden; background:#0b0f13; border:1px solid var(--dim); border-radius:6px; padding:8px; z-index:20; pointer-events:none; box-shadow:0 6px 24px rgba(0,0,0,.5); }
#tip .k { font-weight:700; } #tip pre { margin:6px 0 0; font-size:11px; white-space:pre-wrap; word-break:break-all; color:#b9c3cc; }
#events { flex:1 1 auto; overflow:auto; border:1px solid var(--line); border-radius:6px; max-height:calc(100vh - 330px); min-height:160px; }
#events table { border-collapse:collapse; width:100%; font-family:ui-monospace,Menlo,Consolas,monospace; font-size:11.5px; }
#events td { padding:2px 8px; border-bottom:1px solid #1c242c; white-space:nowrap; vertical-align:top; }
#events td.d { white-space:normal; word-break:break-word; color:#b9c3cc; }
#events tr.hl td { background:#2a3542; color:#fff; }
.dot { display:inline-block; width:8px; height:8px; border-radius:2px; margin-right:6px; }
`;

/** Runs in the page. No network, no eval, no innerHTML with data. */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('lkdiag-data').textContent);
  var events = DATA.events, lanes = DATA.lanes;
  var t0 = DATA.t0, span = Math.max(DATA.t1 - DATA.t0, 1);
  var scroll = document.getElementById('track-scroll'), track = document.getElementById('track');
  var names = document.getElementById('lane-names'), tip = document.getElementById('tip');
  var tbody = document.querySelector('#events tbody');
  var PAD = 24, ROW = 18;
  var scale = 1; // px per ms
  var markers = [], rows = [];

  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function rel(ms) { return (ms >= 0 ? '+' : '') + (Math.abs(ms) >= 100000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms) + ' ms'); }

  // Lanes (names column + one row per source), markers, and the event table.
  names.appendChild(el('div', 'lane-name', ''));
  var axis = el('div', 'axis'); track.appendChild(axis);
  var laneEls = lanes.map(function (l, i) {
    var n = el('div', 'lane-name'); var dot = el('span', 'dot l' + (i % 8)); n.appendChild(dot); n.appendChild(document.createTextNode(l));
    names.appendChild(n);
    var lane = el('div', 'lane'); lane.dataset.lane = String(i); track.appendChild(lane);
    return { name: n, lane: lane };
  });
  events.forEach(function (ev, i) {
    var m = el('div', 'ev l' + (ev.lane % 8) + (ev.level ? ' lvl-' + ev.level : ''));
    m.dataset.ev = String(i); m.setAttribute('role', 'img'); m.setAttribute('aria-label', ev.kind);
    laneEls[ev.lane].lane.appendChild(m); markers.push(m);
    var tr = el('tr'); tr.dataset.ev = String(i); tr.id = 'row-' + i;
    var c = el('td'); var dot = el('span', 'dot l' + (ev.lane % 8)); c.appendChild(dot); c.appendChild(document.createTextNode(rel(ev.t - t0)));
    tr.appendChild(c); tr.appendChild(el('td', '', ev.source)); tr.appendChild(el('td', '', ev.kind)); tr.appendChild(el('td', 'd', ev.desc));
    tbody.appendChild(tr); rows.push(tr);
  });

  function layout() {
    var width = Math.max(scroll.clientWidth, span * scale + PAD * 2);
    track.style.width = width + 'px';
    // Ticks at a readable step.
    axis.textContent = '';
    var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 120000, 300000, 600000];
    var step = steps.find(function (s) { return s * scale >= 80; }) || 600000;
    for (var t = 0; t <= span; t += step) {
      var tick = el('div', 'tick', rel(t)); tick.style.left = (PAD + t * scale) + 'px'; axis.appendChild(tick);
    }
    // Stack markers that would overlap into sub-rows, per lane.
    var ends = lanes.map(function () { return []; });
    events.forEach(function (ev, i) {
      var x = PAD + (ev.t - t0) * scale, lane = ends[ev.lane], r = 0;
      while (r < lane.length && lane[r] > x - 12) r++;
      if (r >= 8) r = 7;
      lane[r] = x;
      markers[i].style.left = x + 'px'; markers[i].style.top = (6 + r * ROW) + 'px';
    });
    laneEls.forEach(function (l, i) {
      var h = Math.max(30, 12 + Math.max(1, ends[i].length) * ROW);
      l.lane.style.height = h + 'px'; l.name.style.setProperty('--h', h + 'px');
    });
  }

  function zoomAt(factor, clientX) {
    var rect = scroll.getBoundingClientRect();
    var px = (clientX === undefined ? rect.width / 2 : clientX - rect.left);
    var tAt = (scroll.scrollLeft + px - PAD) / scale;
    scale = Math.min(Math.max(scale * factor, 0.0005), 50);
    layout();
    scroll.scrollLeft = Math.max(0, tAt * scale + PAD - px);
  }
  function fit() { scale = Math.max((scroll.clientWidth - PAD * 2) / span, 0.0005); layout(); scroll.scrollLeft = 0; }
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt(2); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt(0.5); });
  document.getElementById('zoom-fit').addEventListener('click', fit);
  scroll.addEventListener('wheel', function (e) {
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) return; // horizontal scrolling stays scrolling
    e.preventDefault();
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX);
  }, { passive: false });

  // Hover details: the event as JSON.
  function showTip(i, x, y) {
    var ev = events[i]; tip.textContent = '';
    tip.appendChild(el('div', 'k', ev.kind));
    tip.appendChild(el('div', 'muted', rel(ev.t - t0) + ' · ' + ev.source + ' · ' + new Date(ev.t).toISOString()));
    tip.appendChild(el('pre', '', JSON.stringify({ t: ev.t, source: ev.source, kind: ev.kind, data: ev.data }, null, 2)));
    tip.style.display = 'block';
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
    tip.style.top = Math.min(y + 14, window.innerHeight - h - 8) + 'px';
  }
  track.addEventListener('mousemove', function (e) {
    var t = e.target; if (t && t.dataset && t.dataset.ev !== undefined && t.classList.contains('ev')) showTip(Number(t.dataset.ev), e.clientX, e.clientY);
    else tip.style.display = 'none';
  });
  track.addEventListener('mouseleave', function () { tip.style.display = 'none'; });

  // Findings → evidence.
  function highlight(idx) {
    markers.forEach(function (m) { m.classList.remove('hl'); });
    rows.forEach(function (r) { r.classList.remove('hl'); });
    idx.forEach(function (i) { if (markers[i]) { markers[i].classList.add('hl'); rows[i].classList.add('hl'); } });
    if (idx.length) {
      var first = Math.min.apply(null, idx.map(function (i) { return events[i].t; }));
      scroll.scrollLeft = Math.max(0, PAD + (first - t0) * scale - scroll.clientWidth / 4);
      var row = rows[idx[0]]; if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
    }
  }
  function select(li) {
    document.querySelectorAll('.finding.selected').forEach(function (f) { f.classList.remove('selected'); });
    li.classList.add('selected');
    var f = DATA.findings[Number(li.dataset.finding)];
    highlight(f ? f.evidence : []);
  }
  document.querySelectorAll('.finding').forEach(function (li) {
    li.addEventListener('click', function (e) {
      var a = e.target.closest ? e.target.closest('a[data-ev]') : null;
      if (a) { e.preventDefault(); e.stopPropagation(); li.classList.add('selected'); highlight([Number(a.dataset.ev)]); return; }
      select(li);
    });
    li.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(li); } });
  });
  markers.forEach(function (m, i) { m.addEventListener('click', function () { highlight([i]); }); });

  window.addEventListener('resize', layout);
  fit();
  document.body.dataset.ready = 'true';
})();
`;
