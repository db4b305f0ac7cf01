/*
 * The widget's twig templates (widget/templates/*.twig), rendered with Kommo's own twig.js through
 * `self.render({href, base_path, load}, data)` (kommo-api.md §9.5). They are loaded once, when the widget
 * starts, so that drawing a popup later is synchronous.
 * UNCONFIRMED: that `load` receives a compiled template with `render(data)`; twig.js does not autoescape,
 * so every variable in our templates is written `{{ value|e }}`.
 */
export const TEMPLATE_NAMES = ['caller-popup', 'softphone', 'call-result'];

export class Templates {
  constructor(widget) {
    this.widget = widget;
    this.compiled = {};
  }

  load() {
    const settings = (typeof this.widget.get_settings === 'function' && this.widget.get_settings()) || {};
    const basePath = settings.path || (this.widget.params && this.widget.params.path) || '';
    return Promise.all(
      TEMPLATE_NAMES.map(
        (name) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`template ${name} did not load`)), 15000);
            this.widget.render(
              {
                href: `/templates/${name}.twig`,
                base_path: basePath,
                v: settings.version,
                load: (template) => {
                  clearTimeout(timer);
                  this.compiled[name] = template;
                  resolve();
                },
              },
              {},
            );
          }),
      ),
    );
  }

  render(name, data) {
    const template = this.compiled[name];
    if (!template) throw new Error(`template ${name} is not loaded`);
    return template.render(data);
  }
}
