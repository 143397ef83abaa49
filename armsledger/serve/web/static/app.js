/* armsledger workbench: review actions. The only script; no inline code (CSP). */
"use strict";
(function () {
  var NAME = "armsledger.reviewer", TOKEN = "armsledger.token";

  function creds() {
    return { reviewer: localStorage.getItem(NAME) || "", token: sessionStorage.getItem(TOKEN) || "" };
  }

  function flash(text, bad) {
    var el = document.getElementById("flash");
    if (!el) return;
    el.textContent = text;
    el.className = bad ? "bad" : "good";
  }

  function post(url, body, form) {
    var c = creds();
    var msg = form.querySelector(".msg");
    if (!c.token) {
      if (msg) msg.textContent = "Enter your reviewer name and token at the top of the page first.";
      return;
    }
    if (!body.reviewer) body.reviewer = c.reviewer;
    if (msg) msg.textContent = "…";
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + c.token },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (res.ok) {
        window.location.reload();
      } else if (msg) {
        var d = res.body && res.body.detail;
        msg.textContent = typeof d === "string" ? d : JSON.stringify(d);
      }
    }).catch(function (e) { if (msg) msg.textContent = String(e); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rf = document.getElementById("reviewer-form");
    if (rf) {
      var c = creds();
      rf.elements.reviewer.value = c.reviewer;
      rf.elements.token.value = c.token;
      rf.addEventListener("submit", function (ev) {
        ev.preventDefault();
        localStorage.setItem(NAME, rf.elements.reviewer.value.trim());
        sessionStorage.setItem(TOKEN, rf.elements.token.value.trim());
        flash("Reviewer saved: " + rf.elements.reviewer.value.trim(), false);
      });
    }
    document.querySelectorAll("form.review-form").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var action = (ev.submitter && ev.submitter.value) || "accept";
        var body = { action: action };
        if (action === "correct") {
          body.fields = {};
          body.fields[form.elements.field.value] = form.elements.value.value;
        } else if (action === "move") {
          body.deal_id = form.elements.deal_id.value.trim();
        }
        post("/api/claims/" + encodeURIComponent(form.dataset.claim) + "/review", body, form);
      });
    });
    document.querySelectorAll("form.merge-form").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        post("/api/deals/" + encodeURIComponent(form.dataset.deal) + "/merge", { into: form.elements.into.value }, form);
      });
    });
  });
})();
