(function () {
  "use strict";
  var boxes = {}, fields = {};
  function add(map, el) { var p = el.getAttribute("data-ptr"); (map[p] = map[p] || []).push(el); }
  document.querySelectorAll(".box").forEach(function (b) { add(boxes, b); });
  document.querySelectorAll(".field, tr.task, li.lowfield").forEach(function (f) { add(fields, f); });

  // the box of a pointer, else of its nearest ancestor (an assignee -> its assignment)
  function boxesFor(ptr) {
    while (ptr) {
      if (boxes[ptr]) return boxes[ptr];
      ptr = ptr.slice(0, ptr.lastIndexOf("/"));
    }
    return [];
  }
  var active = [];
  function activate(ptr, scroll) {
    active.forEach(function (el) { el.classList.remove("active"); });
    var bs = boxesFor(ptr), fs = fields[ptr] || [];
    active = bs.concat(fs);
    active.forEach(function (el) { el.classList.add("active"); });
    if (scroll && bs.length) bs[0].scrollIntoView({ block: "center", inline: "nearest" });
    return bs.length;
  }
  Object.keys(fields).forEach(function (ptr) {
    fields[ptr].forEach(function (f) {
      f.addEventListener("mouseenter", function () { activate(ptr, false); });
      f.addEventListener("focus", function () { activate(ptr, true); });
      f.addEventListener("click", function () {
        activate(ptr, true);
        if (history.replaceState) history.replaceState(null, "", "#" + ptr);
      });
    });
  });
  Object.keys(boxes).forEach(function (ptr) {
    boxes[ptr].forEach(function (b) {
      b.addEventListener("mouseenter", function () { activate(ptr, false); });
      b.addEventListener("click", function () {
        activate(ptr, false);
        var fs = fields[ptr];
        if (fs && fs.length) fs[0].scrollIntoView({ block: "center" });
      });
    });
  });

  // Where every box landed, relative to its page image (CSS px): written into the DOM so
  // a headless browser's --dump-dom shows it (the review's own test reads it).
  function measure() {
    var pages = [];
    document.querySelectorAll("figure.page").forEach(function (fig) {
      var img = fig.querySelector("img"), ir = img.getBoundingClientRect();
      var page = { page: +fig.getAttribute("data-page"), loaded: img.complete && img.naturalWidth > 0,
                   natural: [img.naturalWidth, img.naturalHeight], shown: [ir.width, ir.height],
                   viewport: [ir.left, ir.top], boxes: [] };
      fig.querySelectorAll(".box").forEach(function (b) {
        var r = b.getBoundingClientRect();
        var x = r.left - ir.left, y = r.top - ir.top;
        var inside = x >= -0.5 && y >= -0.5 && x + r.width <= ir.width + 0.5 && y + r.height <= ir.height + 0.5
                     && r.width > 0 && r.height > 0;
        b.setAttribute("data-rect", [x, y, r.width, r.height].map(function (v) { return v.toFixed(2); }).join(","));
        b.setAttribute("data-inside", inside ? "yes" : "no");
        page.boxes.push({ ptr: b.getAttribute("data-ptr"), rect: [x, y, r.width, r.height], inside: inside,
                          active: b.classList.contains("active"), viewport: [r.left, r.top, r.width, r.height] });
      });
      pages.push(page);
    });
    document.getElementById("vanthu-geometry").textContent = JSON.stringify({ pages: pages });
    document.documentElement.setAttribute("data-geometry", "ready");
  }
  window.addEventListener("load", function () {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash) {
      activate(hash, true);
      if (fields[hash]) fields[hash][0].scrollIntoView({ block: "center" });
    }
    measure();
  });
})();
