// The phone page, enhanced: live shares and ranking, submit without reload, the room's result
// by polling a small status endpoint. Everything is built with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var form = document.getElementById("weigh");
  var send = document.getElementById("send");
  var sent = document.getElementById("sent");
  var ids = data.criteria;
  var nl = data.lang !== "en";
  var etag = data.etag;
  var storeKey = "afweging:" + data.code + ":" + data.token.slice(0, 16);
  var POLL_MS = 5000;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function fixed(x, places) {
    var s = x.toFixed(places);
    return nl ? s.replace(".", ",") : s;
  }
  function field(id) { return document.getElementById("v_" + id); }
  function inputs() {
    var out = {};
    ids.forEach(function (id) { out[id] = Number(field(id).value); });
    return out;
  }
  // Rank-order-centroid weights, ties sharing their positions (as afweging.weights).
  function roc(places) {
    var n = ids.length, byPos = [], i, k;
    for (i = 1; i <= n; i++) { var s = 0; for (k = i; k <= n; k++) s += 1 / k; byPos.push(s / n); }
    var order = ids.slice().sort(function (a, b) { return places[a] - places[b]; });
    var out = {}, start = 0;
    while (start < n) {
      var end = start;
      while (end < n && places[order[end]] === places[order[start]]) end++;
      var mean = 0;
      for (i = start; i < end; i++) mean += byPos[i];
      mean /= (end - start);
      for (i = start; i < end; i++) out[order[i]] = mean;
      start = end;
    }
    return out;
  }
  function weights(vals) { return data.method === "rank" ? roc(vals) : vals; }
  function ranking(w) {
    var total = 0;
    ids.forEach(function (id) { total += w[id]; });
    var scores = data.values.map(function (row) {
      var s = 0;
      ids.forEach(function (id, j) { s += row[j] * w[id] / total; });
      return Math.round(s * 1e9) / 1e9;
    });
    return scores.map(function (s, i) {
      var rank = 1;
      scores.forEach(function (o) { if (o > s) rank++; });
      return { index: i, rank: rank, score: s };
    }).sort(function (a, b) {
      // Equals in the order of their names, as everywhere else (afweging.matrix.best_first).
      var x = data.options[a.index].toLowerCase(), y = data.options[b.index].toLowerCase();
      return a.rank - b.rank || (x < y ? -1 : x > y ? 1 : 0) || a.index - b.index;
    });
  }
  function update() {
    var vals = inputs(), w = weights(vals), total = 0;
    ids.forEach(function (id) { total += w[id]; });
    var shares = document.getElementById("shares");
    var body = document.querySelector("#own tbody");
    ids.forEach(function (id) {
      var pct = total > 0 ? fixed(100 * w[id] / total, 0) + "%" : "–";
      document.getElementById("o_" + id).textContent =
        data.method === "rank" ? pct : vals[id] + " · " + pct;
    });
    body.textContent = "";
    if (total <= 0) {
      shares.textContent = data.texts.ws_all_zero;
      send.disabled = true;
      return;
    }
    shares.textContent = ids.map(function (id, j) {
      return data.labels[j] + " " + fixed(100 * w[id] / total, 0) + "%";
    }).join(" · ");
    if (!form.dataset.closed) send.disabled = false;
    ranking(w).forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", String(r.rank), "num"));
      tr.appendChild(el("td", data.options[r.index]));
      tr.appendChild(el("td", fixed(r.score, 3), "num"));
      body.appendChild(tr);
    });
  }
  function remember() {
    try { sessionStorage.setItem(storeKey, JSON.stringify(inputs())); } catch (e) { /* private mode */ }
  }
  function restore() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
      if (saved) ids.forEach(function (id) { if (saved[id] !== undefined) field(id).value = saved[id]; });
    } catch (e) { /* nothing kept */ }
  }
  function setOpen(open) {
    form.dataset.closed = open ? "" : "1";
    ids.forEach(function (id) { field(id).disabled = !open; });
    send.disabled = !open;
  }
  function say(text, cls) { sent.textContent = text; sent.className = cls || "small"; }

  form.addEventListener("input", function () { update(); remember(); });
  form.addEventListener("change", function () { update(); remember(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send.disabled = true;
    say(data.texts.ws_phone_sending);
    fetch(data.submit, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: data.code, p: data.token, lang: data.lang, values: inputs() }),
      cache: "no-store"
    }).then(function (r) {
      return r.json().then(function (j) {
        say(j.message, j.ok ? "msg ok" : "msg error");
        if (j.ok) {
          send.textContent = data.texts.ws_submit_again;
          try { sessionStorage.removeItem(storeKey); } catch (e) { /* fine */ }
        }
        send.disabled = !!form.dataset.closed;
        poll();
      });
    }).catch(function () {
      say(data.texts.ws_phone_offline, "msg error");
      send.disabled = false;
    });
  });

  function showGroup(group) {
    var box = document.getElementById("group");
    box.textContent = "";
    if (!group) return;
    box.appendChild(el("h2", data.texts.ws_group_ranking));
    box.appendChild(el("p", group.caption, "small"));
    var table = el("table", undefined, "ranking");
    var tbody = el("tbody");
    group.ranking.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", String(r.rank), "num"));
      tr.appendChild(el("td", r.label));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    box.appendChild(table);
    box.appendChild(el("p", group.groups));
    box.appendChild(el("p", group.bridge));
    if (group.mine) box.appendChild(el("p", group.mine, "msg mine"));
  }
  var polling = false;
  function poll() {
    if (document.hidden || polling) return;
    polling = true;
    var url = data.status + "?code=" + encodeURIComponent(data.code) +
      "&p=" + encodeURIComponent(data.token) + "&lang=" + data.lang;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-store" }).then(function (r) {
      if (r.status === 304) return;
      if (!r.ok) return r.json().then(function (j) { document.getElementById("state").textContent = j.message; });
      etag = r.headers.get("ETag");
      return r.json().then(function (s) {
        document.getElementById("state").textContent = s.state;
        setOpen(s.open);
        if (s.open) update();
        showGroup(s.group);
      });
    }).catch(function () { /* offline for now: the next poll tries again */ })
      .then(function () { polling = false; });
  }

  restore();
  update();
  setInterval(poll, POLL_MS + Math.floor(Math.random() * 1000));
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  window.addEventListener("online", poll);
  window.addEventListener("pageshow", function (e) { if (e.persisted) poll(); });
})();
