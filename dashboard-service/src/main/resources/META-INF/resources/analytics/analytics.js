// The analytics page: per-API hits, errors and mean request time over the last N hours, drawn as plain SVG
// from the Dashboard's usage endpoints (DASHBOARD.md §8.2). No libraries, no build step.
//
// The access key comes from the input or the URL fragment #key=... (a fragment never reaches the server or
// its logs); it is kept in sessionStorage only and sent as the Authorization header. Every figure is also
// written as text and as data-* attributes, so a headless browser test can read them from the DOM.
(function () {
  "use strict";

  var KEY_STORAGE = "gatehouse.analytics.key";
  var HOUR_MS = 3600 * 1000;
  var MAX_HOURS = 744;
  var SVG_NS = "http://www.w3.org/2000/svg";

  var keyInput = document.getElementById("key");
  var hoursSelect = document.getElementById("hours");
  var message = document.getElementById("message");
  var figures = document.getElementById("figures");
  var tbody = document.querySelector("#summary tbody");
  var empty = document.getElementById("empty");
  var charts = document.getElementById("charts");
  var windowLabel = document.getElementById("window");

  /** Reads #key=...&hours=... once, then drops the key from the address bar (it stays in this tab only). */
  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var key = params.get("key");
    var hours = parseInt(params.get("hours"), 10);
    if (key) {
      sessionStorage.setItem(KEY_STORAGE, key);
      params.delete("key");
      var rest = params.toString();
      history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
    }
    if (hours >= 1 && hours <= MAX_HOURS) {
      selectHours(hours);
    }
  }

  function selectHours(hours) {
    var value = String(hours);
    var present = Array.prototype.some.call(hoursSelect.options, function (o) {
      return o.value === value;
    });
    if (!present) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value + " hours";
      hoursSelect.appendChild(option);
    }
    hoursSelect.value = value;
  }

  /** Tyk's path dates: day/month/year in UTC, not zero-padded. */
  function dateSegments(time) {
    var d = new Date(time);
    return d.getUTCDate() + "/" + (d.getUTCMonth() + 1) + "/" + d.getUTCFullYear();
  }

  function hourLabel(time) {
    var d = new Date(time);
    var hh = ("0" + d.getUTCHours()).slice(-2);
    return hh + ":00";
  }

  function setState(state) {
    document.body.setAttribute("data-state", state);
  }

  function showMessage(text) {
    message.textContent = text;
    message.hidden = false;
  }

  /** A failed answer carries Tyk's text in Message (the Dashboard's ApiResponse envelope). */
  function HttpError(status, text) {
    this.status = status;
    this.text = text;
  }

  function getJson(path, key) {
    return fetch(path, { headers: { Authorization: key, Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (body) {
          var json = null;
          try {
            json = body ? JSON.parse(body) : null;
          } catch (e) {
            json = null;
          }
          if (!response.ok) {
            var text = json && json.Message ? json.Message : body || response.statusText;
            throw new HttpError(response.status, text);
          }
          return json;
        });
      });
  }

  function units(envelope) {
    return envelope && Array.isArray(envelope.data) ? envelope.data : [];
  }

  /** The N hour buckets ending with the current hour, each with zero figures until a unit fills it. */
  function buckets(firstHour, hours) {
    var list = [];
    for (var i = 0; i < hours; i++) {
      list.push({ time: firstHour + i * HOUR_MS, hits: 0, success: 0, errors: 0, latencySum: 0, upstreamSum: 0 });
    }
    return list;
  }

  function fill(series, firstHour, hourlyUnits) {
    hourlyUnits.forEach(function (unit) {
      var id = unit.id || {};
      var time = Date.UTC(id.year, id.month - 1, id.day, id.hour);
      var index = Math.round((time - firstHour) / HOUR_MS);
      if (index < 0 || index >= series.length) {
        return; // an hour of the first day before the window
      }
      var b = series[index];
      b.hits += unit.hits || 0;
      b.success += unit.success || 0;
      b.errors += unit.error || 0;
      // means of the same hour (one unit each, normally) combine weighted by their hits
      b.latencySum += (unit.request_time || 0) * (unit.hits || 0);
      b.upstreamSum += (unit.upstream_latency || 0) * (unit.hits || 0);
    });
    series.forEach(function (b) {
      b.latency = b.hits > 0 ? b.latencySum / b.hits : 0;
      b.upstream = b.hits > 0 ? b.upstreamSum / b.hits : 0;
    });
    return series;
  }

  /** The window's totals; the mean latency is the hits-weighted mean of the hours' means. */
  function totals(series) {
    var t = { hits: 0, success: 0, errors: 0, latencySum: 0 };
    series.forEach(function (b) {
      t.hits += b.hits;
      t.success += b.success;
      t.errors += b.errors;
      t.latencySum += b.latency * b.hits;
    });
    t.latency = t.hits > 0 ? t.latencySum / t.hits : 0;
    return t;
  }

  function svg(name, attributes, parent) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (k) {
      element.setAttribute(k, attributes[k]);
    });
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  function text(parent, x, y, content, anchor) {
    var t = svg("text", { x: x, y: y, "text-anchor": anchor || "start" }, parent);
    t.textContent = content;
    return t;
  }

  function niceMax(value) {
    if (value <= 0) {
      return 1;
    }
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (value <= steps[i] * power) {
        return steps[i] * power;
      }
    }
    return 10 * power;
  }

  /** One SVG per API: hits and errors above, mean latency below, a point group per hour with its figures. */
  function chart(api, series) {
    var width = 720;
    var left = 56;
    var right = 704;
    var panels = [
      { top: 16, bottom: 136, series: ["hits", "errors"], label: "requests" },
      { top: 176, bottom: 256, series: ["latency"], label: "ms" }
    ];
    var height = 284;
    var root = svg("svg", {
      viewBox: "0 0 " + width + " " + height,
      role: "img",
      "data-api-id": api.id,
      "aria-label": "hits, errors and mean latency of " + api.name
    });
    var step = series.length > 1 ? (right - left) / (series.length - 1) : 0;
    var x = function (i) {
      return series.length > 1 ? left + i * step : (left + right) / 2;
    };
    var labelEvery = Math.max(1, Math.ceil(series.length / 12));
    panels.forEach(function (panel) {
      var max = niceMax(
        Math.max.apply(
          null,
          series.map(function (b) {
            return Math.max.apply(
              null,
              panel.series.map(function (s) {
                return b[s];
              })
            );
          })
        )
      );
      panel.y = function (v) {
        return panel.bottom - (v / max) * (panel.bottom - panel.top);
      };
      svg("line", { class: "grid", x1: left, x2: right, y1: panel.top, y2: panel.top }, root);
      svg("line", { class: "axis", x1: left, x2: right, y1: panel.bottom, y2: panel.bottom }, root);
      svg("line", { class: "axis", x1: left, x2: left, y1: panel.top, y2: panel.bottom }, root);
      text(root, left - 6, panel.top + 4, String(max), "end");
      text(root, left - 6, panel.bottom + 4, "0", "end");
      text(root, 4, (panel.top + panel.bottom) / 2, panel.label);
      panel.series.forEach(function (s) {
        var points = series
          .map(function (b, i) {
            return x(i).toFixed(1) + "," + panel.y(b[s]).toFixed(1);
          })
          .join(" ");
        svg("polyline", { class: "series-" + s, points: points }, root);
      });
    });
    series.forEach(function (b, i) {
      if (i % labelEvery === 0) {
        text(root, x(i), height - 6, hourLabel(b.time), "middle");
      }
      var point = svg(
        "g",
        {
          class: "point",
          "data-hour": new Date(b.time).toISOString(),
          "data-hits": b.hits,
          "data-success": b.success,
          "data-errors": b.errors,
          "data-latency": b.latency,
          "data-upstream-latency": b.upstream
        },
        root
      );
      var title = svg("title", {}, point);
      title.textContent =
        hourLabel(b.time) + " UTC: " + b.hits + " hits, " + b.errors + " errors, " + b.latency.toFixed(1) + " ms";
      panels.forEach(function (panel) {
        panel.series.forEach(function (s) {
          svg("circle", { class: s, cx: x(i).toFixed(1), cy: panel.y(b[s]).toFixed(1), r: 2.5 }, point);
        });
      });
    });
    return root;
  }

  function cell(row, className, content) {
    var td = document.createElement("td");
    td.className = className;
    td.textContent = content;
    row.appendChild(td);
  }

  function render(results, firstHour, hours) {
    windowLabel.textContent =
      "(" + hours + " h from " + new Date(firstHour).toISOString().slice(0, 13) + ":00 UTC)";
    tbody.textContent = "";
    charts.textContent = "";
    results.sort(function (a, b) {
      return b.totals.hits - a.totals.hits || a.api.name.localeCompare(b.api.name);
    });
    results.forEach(function (r) {
      var row = document.createElement("tr");
      row.className = "api";
      row.setAttribute("data-api-id", r.api.id);
      cell(row, "api-name", r.api.name);
      cell(row, "api-id", r.api.id);
      cell(row, "hits num", String(r.totals.hits));
      cell(row, "success num", String(r.totals.success));
      cell(row, "errors num", String(r.totals.errors));
      cell(row, "latency num", r.totals.latency.toFixed(1));
      tbody.appendChild(row);

      var section = document.createElement("div");
      section.className = "chart";
      var heading = document.createElement("h3");
      heading.textContent = r.api.name;
      section.appendChild(heading);
      var legend = document.createElement("div");
      legend.className = "legend";
      [
        ["hits", "hits"],
        ["errors", "errors (≥ 400)"],
        ["latency", "mean request time (ms)"]
      ].forEach(function (l) {
        var span = document.createElement("span");
        span.className = l[0];
        span.textContent = "■ " + l[1];
        legend.appendChild(span);
      });
      section.appendChild(legend);
      section.appendChild(chart(r.api, r.series));
      charts.appendChild(section);
    });
    empty.hidden = results.length > 0;
    figures.hidden = false;
  }

  function load() {
    var key = sessionStorage.getItem(KEY_STORAGE);
    if (!key) {
      setState("idle");
      showMessage("Enter a Dashboard user's access key to see the figures.");
      return;
    }
    var hours = parseInt(hoursSelect.value, 10) || 24;
    var now = Date.now();
    var firstHour = Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
    var dates = dateSegments(firstHour) + "/" + dateSegments(now);
    setState("loading");
    message.hidden = true;
    getJson("/api/usage/apis/" + dates + "?p=-1", key)
      .then(function (envelope) {
        var apis = units(envelope).map(function (unit) {
          var id = unit.id || {};
          return { id: id.api_id, name: id.api_name || id.api_id };
        });
        return Promise.all(
          apis.map(function (api) {
            var path = "/api/usage/apis/" + encodeURIComponent(api.id) + "/" + dates + "?res=hour&p=-1";
            return getJson(path, key).then(function (hourly) {
              var series = fill(buckets(firstHour, hours), firstHour, units(hourly));
              return { api: api, series: series, totals: totals(series) };
            });
          })
        );
      })
      .then(function (results) {
        render(results, firstHour, hours);
        setState("ready");
      })
      .catch(function (error) {
        figures.hidden = true;
        charts.textContent = "";
        if (error instanceof HttpError) {
          showMessage("HTTP " + error.status + ": " + error.text);
        } else {
          showMessage("Could not load the figures: " + error);
        }
        setState("error");
      });
  }

  document.getElementById("controls").addEventListener("submit", function (event) {
    event.preventDefault();
    if (keyInput.value) {
      sessionStorage.setItem(KEY_STORAGE, keyInput.value);
      keyInput.value = "";
    }
    load();
  });
  hoursSelect.addEventListener("change", load);
  window.addEventListener("hashchange", function () {
    readFragment();
    load();
  });

  readFragment();
  load();
})();
