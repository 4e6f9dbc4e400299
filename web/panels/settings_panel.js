// The settings form, built from the field table (settings.js): one control
// per row with a group, a menu where the row has one, a number input
// otherwise; and the recipe selector. It validates what the user enters and
// reports accepted changes; what a change does is the controller's.
import { numClassesOf } from "../shared/classes.js";
import { FIELDS, GROUPS, RECIPES, RECIPE_NOTES, checkSetting, crossCheck, field, recipeOf, withChange } from "../shared/settings.js";
import { $ } from "../app/dom.js";


export class SettingsPanel {
  // callbacks: {onChange(name, value), onRecipe(name), onRefused(message)}
  constructor(state, callbacks) {
    this.state = state;
    this.callbacks = callbacks;
    this.controls = new Map(); // name -> {label, input}
    this.build();
    $("recipe").addEventListener("change", (event) => this.callbacks.onRecipe(event.target.value));
  }

  build() {
    const form = $("settings-form");
    for (const group of GROUPS) {
      const heading = document.createElement("h2");
      heading.textContent = group.title;
      if (group.note) {
        const note = document.createElement("small");
        note.textContent = group.note;
        heading.append(" ", note);
      }
      const grid = document.createElement("div");
      grid.className = "grid";
      for (const f of FIELDS.filter((row) => row.group === group.id)) grid.append(this.control(f));
      form.append(heading, grid);
      if (group.id === "model") {
        // Where T and the betas are set: why samples come out squashed (schedule_view.js fills it).
        const warning = document.createElement("p");
        warning.id = "schedule-warning";
        warning.className = "warning";
        warning.hidden = true;
        form.append(warning);
      }
    }
  }

  control(f) {
    const label = document.createElement("label");
    label.textContent = f.label;
    if (f.help) label.title = f.help;
    let input;
    if (f.kind === "choice" || f.menu) {
      input = document.createElement("select");
    } else {
      input = document.createElement("input");
      input.type = "number";
      input.min = String(f.min);
      input.max = String(f.max);
      input.step = f.step ? String(f.step) : "any";
    }
    input.id = f.name;
    input.addEventListener("change", () => this.entered(f.name, input.value));
    label.append(input);
    let note = null;
    if (f.note) { // a sentence about the setting as it is here (why threads are fewer, say)
      note = document.createElement("small");
      note.id = `${f.name}-note`;
      note.className = "field-note";
      input.setAttribute("aria-describedby", note.id);
      label.append(note);
    }
    this.controls.set(f.name, { label, input, note });
    return label;
  }

  entered(name, raw) {
    const f = field(name);
    const value = checkSetting(name, raw);
    const conflict = value === undefined ? null : crossCheck(withChange(this.state.settings, name, value));
    if (value === undefined || conflict) {
      this.callbacks.onRefused(`${f.label} "${String(raw).slice(0, 20)}" is not allowed${conflict ? ` (${conflict})` : ""}; it stays ${this.state.settings[name]}.`);
      this.sync();
      return;
    }
    if (value !== this.state.settings[name]) this.callbacks.onChange(name, value);
  }

  // Shows state.settings in every control.
  sync() {
    const s = this.state.settings;
    for (const [name, { label, input, note }] of this.controls) {
      const f = field(name);
      if (input.tagName === "SELECT") {
        const values = f.kind === "choice" ? [...(f.choicesFor ? f.choicesFor(s) : f.choices)] : [...f.menu];
        if (!values.includes(s[name])) values.push(s[name]); // e.g. from a shared link
        if (f.kind !== "choice") values.sort((a, b) => a - b);
        input.replaceChildren(...values.map((v) => {
          const option = document.createElement("option");
          option.value = String(v);
          option.textContent = f.optionText ? f.optionText(v) : String(v);
          return option;
        }));
      }
      input.value = String(s[name]);
      label.hidden = f.shownWhen ? !f.shownWhen(s, numClassesOf(this.state.labels)) : false;
      if (note) {
        note.textContent = f.note(this.state.threading);
        note.hidden = !note.textContent;
      }
    }
    this.syncRecipe();
  }

  syncRecipe() {
    const current = recipeOf(this.state.settings);
    const names = [...Object.keys(RECIPES), ...(current === "custom" ? ["custom"] : [])];
    $("recipe").replaceChildren(...names.map((name) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      return option;
    }));
    $("recipe").value = current;
    $("recipe-note").textContent = RECIPE_NOTES[current];
  }
}
