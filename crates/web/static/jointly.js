// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // When a form comes back with problems, move focus to the error summary (the NHS pattern), so
  // keyboard and screen reader users hear what to fix first.
  function focusErrorSummary() {
    var summary = document.querySelector(".nhsuk-error-summary");
    if (summary) {
      summary.focus();
    }
  }

  // "Listen": where the browser can speak, each question gets a button that reads out the
  // question, its hint and its choices in the page's language. Without speech the buttons stay
  // hidden, so nobody meets a button that does nothing.
  function speechLanguage() {
    var lang = document.documentElement.getAttribute("lang") || "en-GB";
    // Easy-read English is English to a speech engine.
    return lang.indexOf("en-x") === 0 ? "en-GB" : lang;
  }

  function textOf(element) {
    if (!element) {
      return "";
    }
    var copy = element.cloneNode(true);
    var hidden = copy.querySelectorAll(".nhsuk-u-visually-hidden, .jointly-listen");
    for (var i = 0; i < hidden.length; i += 1) {
      hidden[i].parentNode.removeChild(hidden[i]);
    }
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function spokenQuestion(group) {
    var parts = [];
    var title = group.querySelector("legend") || group.querySelector("label");
    parts.push(textOf(title));
    parts.push(textOf(group.querySelector(".nhsuk-hint")));
    var choices = group.querySelectorAll(".nhsuk-radios__label, .nhsuk-checkboxes__label");
    for (var i = 0; i < choices.length; i += 1) {
      parts.push(textOf(choices[i]));
    }
    return parts.filter(function (part) {
      return part.length > 0;
    }).join(". ");
  }

  function enableListening() {
    if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
      return;
    }
    var buttons = document.querySelectorAll(".jointly-listen");
    for (var i = 0; i < buttons.length; i += 1) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener("click", function (event) {
        var group = event.currentTarget.closest(".nhsuk-form-group");
        if (!group) {
          return;
        }
        window.speechSynthesis.cancel();
        var utterance = new window.SpeechSynthesisUtterance(spokenQuestion(group));
        utterance.lang = speechLanguage();
        utterance.rate = 0.9;
        window.speechSynthesis.speak(utterance);
      });
    }
  }

  // Long forms (phone and professional referral) carry every question; a question whose
  // enableWhen conditions are not met is hidden, and its inputs disabled so nothing hidden is
  // sent. The server decides what applies in any case; this only spares people questions that
  // do not apply.
  function answerOf(form, question) {
    var inputs = form.querySelectorAll('[name="' + question + '"]');
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if (input.disabled) {
        continue;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          return input.value;
        }
      } else if (input.value.trim() !== "") {
        return input.value.trim();
      }
    }
    return null;
  }

  function holds(condition, answer) {
    var wanted = condition.v;
    switch (condition.op) {
      case "exists":
        return (answer !== null) === (wanted === "yes" || wanted === "true");
      case "=":
        return answer !== null && answer === wanted;
      case "!=":
        return answer !== null && answer !== wanted;
      default: {
        if (answer === null) {
          return false;
        }
        var given = Number(answer);
        var limit = Number(wanted);
        if (Number.isNaN(given) || Number.isNaN(limit)) {
          return false;
        }
        if (condition.op === ">") return given > limit;
        if (condition.op === "<") return given < limit;
        if (condition.op === ">=") return given >= limit;
        if (condition.op === "<=") return given <= limit;
        return true;
      }
    }
  }

  function applyConditions(form) {
    var groups = form.querySelectorAll("[data-enable-when]");
    for (var i = 0; i < groups.length; i += 1) {
      var group = groups[i];
      var conditions;
      try {
        conditions = JSON.parse(group.getAttribute("data-enable-when"));
      } catch (error) {
        continue;
      }
      // A condition on a question answered on an earlier page was settled by the server,
      // which only sent this question because it applies.
      var here = conditions.filter(function (condition) {
        return form.querySelector('[name="' + condition.q + '"]') !== null;
      });
      if (here.length === 0) {
        continue;
      }
      var results = here.map(function (condition) {
        return holds(condition, answerOf(form, condition.q));
      });
      var enabled = group.hasAttribute("data-enable-any")
        ? results.some(Boolean)
        : results.every(Boolean);
      group.hidden = !enabled;
      var inputs = group.querySelectorAll("input, select, textarea");
      for (var j = 0; j < inputs.length; j += 1) {
        inputs[j].disabled = !enabled;
      }
    }
  }

  function enableBranching() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i += 1) {
      var form = forms[i];
      if (!form.querySelector("[data-enable-when]")) {
        continue;
      }
      applyConditions(form);
      form.addEventListener("change", function (event) {
        applyConditions(event.currentTarget);
      });
    }
  }

  // An open conversation shows new messages as they arrive: the server says "message" on an
  // event stream and the messages are fetched again. Without this the page is complete and a
  // reload shows them. The region is aria-live, so screen readers hear the new message.
  function followConversation() {
    var messages = document.getElementById("messages");
    if (!messages || !window.EventSource || !window.fetch || !window.DOMParser) {
      return;
    }
    var source = new EventSource(messages.getAttribute("data-events"));
    source.addEventListener("message", function () {
      fetch(window.location.pathname, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (!html) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("messages");
          if (fresh) {
            messages.innerHTML = fresh.innerHTML;
          }
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    enableListening();
    enableBranching();
    followConversation();
  });
})();
