/*
 * Minimal Kommo widget host for the browser tests. It emulates ONLY what kommo-api.md §9 documents:
 * the widget is an AMD module loaded by RequireJS next to jQuery; it is constructed with the helper
 * methods already available on `this` (system, get_settings, set_settings, i18n, langs, params,
 * $authorizedAjax); Kommo runs callbacks.render → init → bind_actions (the last two only when render
 * returns true); opening the widget's settings modal calls callbacks.settings($modal_body); Kommo's own
 * Save of the manifest fields calls callbacks.onSave({active, fields}).
 *
 * Everything marked UNCONFIRMED is a guess at Kommo's internals, kept as plain as possible.
 */
/*
 * Kommo's base modal (kommo-api.md §0 "Call result"): `new Modal({class_name, init($body), destroy()})`;
 * init receives the modal body and triggers modal:loaded / modal:centrify. UNCONFIRMED markup.
 */
define('lib/components/base/modal', ['jquery'], function ($) {
  'use strict';
  function Modal(options) {
    var self = this;
    this.options = options || {};
    this.$modal = $('<div class="kh-modal" role="dialog" aria-modal="true" data-kh="base-modal"></div>').addClass(this.options.class_name || '');
    var $window = $('<div class="kh-modal__window"></div>');
    var $close = $('<button type="button" class="kh-modal__close" aria-label="Close" data-kh="base-modal-close">×</button>');
    this.$body = $('<div class="modal-body kh-modal__body"></div>');
    $window.append($close).append(this.$body);
    this.$modal.append($window).appendTo('body');
    $close.on('click', function () {
      self.destroy();
    });
    this.$modal.on('keydown', function (event) {
      if (event.key === 'Escape') self.destroy();
    });
    if (typeof this.options.init === 'function') this.options.init(this.$body);
  }
  Modal.prototype.destroy = function () {
    if (!this.$modal) return;
    this.$modal.remove();
    this.$modal = null;
    if (typeof this.options.destroy === 'function') this.options.destroy();
  };
  return Modal;
});

define(['jquery', 'twig'], function ($, Twig) {
  'use strict';

  var WIDGET_CODE = 'kvoip_widget';
  var WIDGET_PATH = '/widget';

  var state = {
    lifecycle: [],
    requests: [],
    notifications: [],
    navigations: [],
    phoneButtons: [],
    actions: {},
    widget: null,
    error: null
  };
  window.__kommoHost = state;

  /*
   * Kommo's globals the widget uses (kommo-api.md §7.2, §9.5): notifications, the left-menu phone button,
   * the router, the open card. UNCONFIRMED: APP.router.navigate's signature (Backbone-style).
   */
  function installApp(q) {
    window.APP = {
      notifications: {
        show_message: function (message) {
          state.notifications.push({ kind: 'message', header: message.header, text: message.text });
        },
        show_message_error: function (message) {
          state.notifications.push({ kind: 'error', header: message.header, text: message.text });
        },
        show_notification: function (message) {
          state.notifications.push({ kind: 'notification', message: message });
        }
      },
      widgets: {
        notificationsPhone: function (options) {
          state.phoneButtons.push(options.ns);
          var $button = $('<button type="button" class="kh-nav__phone" data-kh="phone-button"></button>')
            .attr({ 'data-ns': options.ns, 'aria-label': 'Phone' })
            .text('☎');
          $button.on('click', options.click);
          $('#kh-nav-phones').append($button);
        },
        destroyNotificationsPhone: function (options) {
          $('#kh-nav-phones [data-ns="' + options.ns + '"]').remove();
        }
      },
      router: {
        navigate: function (path, options) {
          state.navigations.push(path);
        }
      },
      data: { current_card: q.area === 'ccard' && q.card ? { id: Number(q.card), element_type: 1 } : { id: 0 } }
    };
  }

  /* A contact card with its phone numbers; Kommo puts the widget's phone action on each (kommo-api.md §0). */
  function renderCard(q) {
    var phones = (q.phones || '').split(',').filter(Boolean);
    var $card = $('#kh-card').prop('hidden', false);
    $card.append($('<h2 class="kh-card__title" data-kh="card-title"></h2>').text('Contact #' + q.card));
    var $list = $('<ul class="kh-card__phones"></ul>');
    $.each(phones, function (_index, phone) {
      var $item = $('<li class="kh-card__phone"></li>');
      $item.append($('<span class="kh-card__phone-number"></span>').text(phone));
      var $action = $('<button type="button" class="kh-card__phone-action" data-kh="phone-action"></button>').attr('data-phone', phone).text('Call');
      $action.on('click', function () {
        var handler = state.actions.phone;
        if (handler) handler({ value: phone, type: 'phone' });
      });
      $item.append($action);
      $list.append($item);
    });
    $card.append($list);
  }

  function query() {
    var out = {};
    var pairs = window.location.search.replace(/^\?/, '').split('&');
    for (var i = 0; i < pairs.length; i += 1) {
      if (!pairs[i]) continue;
      var parts = pairs[i].split('=');
      out[decodeURIComponent(parts[0])] = decodeURIComponent((parts[1] || '').replace(/\+/g, ' '));
    }
    return out;
  }

  function fail(message) {
    state.error = message;
    $('#kh-host-error').text('Host error: ' + message).prop('hidden', false);
  }

  /**
   * The object the widget's constructor sees as `this` (through the prototype chain).
   * UNCONFIRMED: Kommo's real mechanism (its widget base class); the documented surface is the same.
   */
  function createBase(options) {
    var settings = options.settings;
    var langs = options.langs;
    var base = {
      langs: langs,
      /* UNCONFIRMED: exact contents of params; kommo-api.md §9.5 shows params.cdn_path / widget_code. */
      params: {
        widget_code: WIDGET_CODE,
        path: WIDGET_PATH,
        cdn_path: WIDGET_PATH,
        version: options.version,
        images_path: WIDGET_PATH + '/images'
      },
      /* UNCONFIRMED key list (legacy amoCRM names). */
      system: function () {
        return {
          area: options.area,
          subdomain: options.subdomain,
          domain: options.subdomain + '.kommo.com',
          amouser_id: options.userId,
          amouser: 'user' + options.userId + '@example.com',
          lang: options.lang
        };
      },
      get_settings: function () {
        return $.extend({}, settings);
      },
      set_settings: function (values) {
        $.extend(settings, values || {});
      },
      /* self.i18n('settings') → that section of the current locale file (§9.5). */
      i18n: function (key) {
        return langs[key];
      },
      get_version: function () {
        return options.version;
      },
      /* §9.5: twig templates of the widget's archive, compiled by Kommo's twig.js; load(template). */
      render: function (spec, params) {
        var url = (spec.base_path || '') + spec.href;
        Twig.twig({
          href: url,
          async: true,
          id: 'kvoip:' + url,
          load: function (template) {
            if (typeof spec.load === 'function') spec.load(template);
          },
          error: function (error) {
            fail('template ' + url + ' failed: ' + error);
          }
        });
        return '';
      },
      /* §0 click-to-call: the widget's handler for every phone number Kommo shows. */
      add_action: function (type, handler) {
        state.actions[type] = handler;
      },
      /*
       * §1.6: same signature as $.ajax, returns a jQuery Deferred, adds X-Auth-Token. The JWT is minted
       * by the Kommo sandbox (HS256 with the integration's client secret) through the harness server.
       * UNCONFIRMED: whether Kommo reuses a token until it expires; we mint one per request.
       */
      $authorizedAjax: function (ajaxOptions) {
        var deferred = $.Deferred();
        var record = {
          method: String(ajaxOptions.type || ajaxOptions.method || 'GET').toUpperCase(),
          url: ajaxOptions.url,
          body: typeof ajaxOptions.data === 'string' ? ajaxOptions.data : null
        };
        state.requests.push(record);
        $.ajax({ url: '/__host/jwt', data: { account: options.accountId, user: options.userId }, dataType: 'json', cache: false })
          .done(function (minted) {
            var request = $.extend({}, ajaxOptions);
            request.headers = $.extend({}, ajaxOptions.headers || {}, { 'X-Auth-Token': minted.token });
            $.ajax(request)
              .done(function (data, textStatus, xhr) {
                record.status = xhr.status;
                deferred.resolveWith(this, [data, textStatus, xhr]);
              })
              .fail(function (xhr, textStatus, error) {
                record.status = xhr.status;
                deferred.rejectWith(this, [xhr, textStatus, error]);
              });
          })
          .fail(function (xhr, textStatus, error) {
            record.status = 'jwt-failed';
            deferred.rejectWith(this, [xhr, textStatus, error]);
          });
        return deferred.promise();
      }
    };
    return base;
  }

  function instantiate(Widget, base) {
    var proto = Object.create(base);
    var key;
    for (key in Widget.prototype) {
      if (Object.prototype.hasOwnProperty.call(Widget.prototype, key)) proto[key] = Widget.prototype[key];
    }
    Widget.prototype = proto;
    return new Widget();
  }

  /* Kommo calls callbacks as methods of the callbacks object (`this` is not the widget, §9.4). */
  function runLifecycle(widget) {
    var callbacks = widget.callbacks;
    var rendered = callbacks.render();
    state.lifecycle.push('render:' + rendered);
    if (rendered !== true) return;
    state.lifecycle.push('init:' + callbacks.init());
    state.lifecycle.push('bind_actions:' + callbacks.bind_actions());
  }

  function renderTile(widget, manifest, langs, openModal) {
    var $tile = $('<button type="button" class="kh-tile" data-kh="widget-tile"></button>');
    $tile.append($('<img class="kh-tile__logo" alt="">').attr('src', WIDGET_PATH + '/images/logo_main.png'));
    var $text = $('<span class="kh-tile__text"></span>');
    $text.append($('<span class="kh-tile__name"></span>').text(langs.widget.name));
    $text.append($('<span class="kh-tile__description"></span>').text(langs.widget.short_description));
    $tile.append($text);
    $tile.on('click', openModal);
    $('#kh-widgets').append($tile);
  }

  /* UNCONFIRMED: Kommo's modal markup; only `.modal-body` handed to callbacks.settings matters. */
  function openSettingsModal(widget, manifest, langs) {
    $('.kh-modal').remove();
    var $modal = $('<div class="kh-modal" role="dialog" aria-modal="true" aria-labelledby="kh-modal-title" data-kh="settings-modal"></div>');
    var $window = $('<div class="kh-modal__window"></div>');
    var $close = $('<button type="button" class="kh-modal__close" aria-label="Close" data-kh="modal-close">×</button>');
    var $body = $('<div class="modal-body kh-modal__body"></div>');

    var $head = $('<div class="kh-widget-head"></div>');
    $head.append($('<img class="kh-widget-head__logo" alt="">').attr('src', WIDGET_PATH + '/images/logo_main.png'));
    var $headText = $('<div></div>');
    $headText.append($('<h2 id="kh-modal-title" class="kh-widget-head__name"></h2>').text(langs.widget.name));
    $headText.append($('<p class="kh-widget-head__description"></p>').text(langs.widget.description));
    $head.append($headText);
    $body.append($head);

    // The manifest's own settings fields (§9.3: text / pass), rendered and saved by "Kommo".
    var $block = $('<div class="widget_settings_block"></div>');
    var $fields = $('<div class="widget_settings_block__fields"></div>');
    var settings = widget.get_settings();
    $.each(manifest.settings || {}, function (key, field) {
      var id = 'kh-setting-' + key;
      var label = (langs.settings && langs.settings[key]) || key;
      var $row = $('<div class="kh-field"></div>');
      $row.append($('<label class="kh-field__label"></label>').attr('for', id).text(label));
      $row.append(
        $('<input class="kh-field__input">')
          .attr({ id: id, name: key, type: field.type === 'pass' ? 'password' : 'text', 'data-kh-setting': key })
          .val(settings[key] || '')
      );
      $fields.append($row);
    });
    $block.append($fields);
    var $controls = $('<div class="widget_settings_block__controls"></div>');
    var $status = $('<span class="kh-save-status" data-kh="kommo-save-status"></span>');
    var $save = $('<button type="button" class="kh-button" data-kh="kommo-save">Save</button>');
    $save.on('click', function () {
      var fields = {};
      $fields.find('[data-kh-setting]').each(function () {
        fields[$(this).attr('data-kh-setting')] = $(this).val();
      });
      var result = widget.callbacks.onSave({ active: 'Y', fields: fields });
      $.when(result).done(function (ok) {
        if (ok === false) return;
        widget.set_settings(fields);
        $status.text('Saved');
      });
    });
    $controls.append($save).append($status);
    $block.append($controls);
    $body.append($block);

    $window.append($close).append($body);
    $modal.append($window);
    $('body').append($modal);

    var close = function () {
      if (typeof widget.callbacks.destroy === 'function') widget.callbacks.destroy();
      $modal.remove();
      $('[data-kh="widget-tile"]').trigger('focus');
    };
    $close.on('click', close);
    $modal.on('keydown', function (event) {
      if (event.key === 'Escape') close();
    });
    $close.trigger('focus');

    state.lifecycle.push('settings');
    widget.callbacks.settings($body);
  }

  function boot() {
    var q = query();
    var accountId = Number(q.account);
    var userId = Number(q.user);
    var lang = q.lang || 'en';
    if (!accountId || !userId) {
      fail('account and user query parameters are required');
      return;
    }
    $('#kh-user').text('user ' + userId + ' · account ' + accountId);
    $.when($.getJSON(WIDGET_PATH + '/manifest.json'), $.getJSON(WIDGET_PATH + '/i18n/' + lang + '.json'))
      .done(function (manifestAnswer, langAnswer) {
        var manifest = manifestAnswer[0];
        var langs = langAnswer[0];
        require(['kvoip_widget'], function (Widget) {
          try {
            // The admin saved the manifest field "server_url" earlier (UNCONFIRMED: settings storage).
            var settings = { widget_code: WIDGET_CODE, path: WIDGET_PATH, version: manifest.widget.version, active: 'Y' };
            if (q.server) settings.server_url = q.server;
            installApp(q);
            var base = createBase({
              area: q.area || 'settings',
              accountId: accountId,
              userId: userId,
              subdomain: q.subdomain || 'demo',
              lang: lang,
              version: manifest.widget.version,
              settings: settings,
              langs: langs
            });
            var widget = instantiate(Widget, base);
            state.widget = widget;
            runLifecycle(widget);
            if (q.area === 'ccard') renderCard(q);
            if (q.area === 'advanced') {
              // UNCONFIRMED container of the advanced-settings page (kommo-api.md §9.2).
              $('#kh-widgets').after($('<div class="kh-work-area"></div>').attr('id', 'work-area-' + WIDGET_CODE));
              widget.callbacks.advancedSettings();
            }
            renderTile(widget, manifest, langs, function () {
              openSettingsModal(widget, manifest, langs);
            });
            state.ready = true;
          } catch (error) {
            fail(String((error && error.stack) || error));
          }
        }, function (error) {
          fail('widget module failed to load: ' + error);
        });
      })
      .fail(function () {
        fail('manifest or i18n could not be loaded');
      });
  }

  return { boot: boot };
});
