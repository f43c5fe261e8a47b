// Live scores: when an answer changes, the server scores the form (POST /api/score, the same
// gatekeeper.scoring as a run) and the page shows the levels it returns. Without this script
// the "Recalculate" button does the same with a full page.
"use strict";
(function () {
  const form = document.getElementById("answers");
  if (!form) return;
  let pending = null;

  function showErrors(errors) {
    form.querySelectorAll(".field-error[id^='err-f-']").forEach(function (node) {
      const field = document.getElementById(node.id.slice(4));
      const problem = errors[field ? field.name : ""] || "";
      node.textContent = problem;
      if (field) {
        if (problem) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
        field.parentElement.classList.toggle("invalid", problem !== "");
      }
    });
  }

  function showQuestions(questions) {
    Object.keys(questions).forEach(function (id) {
      const score = document.getElementById("score-" + id);
      if (score) {
        score.textContent = questions[id].score;
        score.className = "score s" + questions[id].score;
      }
      const why = document.getElementById("why-" + id);
      if (why) {
        why.replaceChildren();
        questions[id].why.forEach(function (text) {
          const item = document.createElement("li");
          item.textContent = text;
          why.appendChild(item);
        });
      }
    });
  }

  async function rescore() {
    const data = new FormData(form);
    const response = await fetch("/api/score", {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": data.get("csrf") },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const result = await response.json();
    // The panel is rendered by the server's autoescaping templates.
    document.getElementById("scores").innerHTML = result.panel;
    result.state.maturity.domains.forEach(function (domain) {
      const level = document.getElementById("dlevel-" + domain.id);
      if (level) level.textContent = domain.level;
    });
    showQuestions(result.questions);
    showErrors(result.errors);
  }

  form.addEventListener("change", function () {
    clearTimeout(pending);
    pending = setTimeout(rescore, 150);
  });
})();
