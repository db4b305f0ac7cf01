import $ from 'jquery';
import Modal from 'lib/components/base/modal';

/*
 * The call-result window, opened when the manager's call ends (kommo-api.md §0 "Call result"): where the
 * call is linked (pre-filled with where it was logged, changeable by search), Kommo's call status 1–7, the
 * result text and an optional follow-up task. Saving queues UpdateFromModal on our api; the worker updates
 * the same call note (or moves it) — still one note per call.
 * Kommo's base modal: `new Modal({class_name, init($body), destroy()})` (UNCONFIRMED: `destroy()` closes it).
 */
const CALL_STATUSES = [1, 2, 3, 4, 5, 6, 7];
const TASK_TYPES = [1, 2];
const SEARCH_DELAY_MS = 250;

function pad(value) {
  return String(value).padStart(2, '0');
}

function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

export class CallResultModal {
  constructor({ api, templates, texts, notify }) {
    this.api = api;
    this.templates = templates;
    this.texts = texts;
    this.notify = notify;
    this.open = null;
  }

  t(key, params) {
    return this.texts.t(key, params);
  }

  show(callId) {
    if (this.open === callId) return Promise.resolve();
    this.open = callId;
    return new Promise((resolve) => {
      this.api.request('GET', `/widget/calls/${encodeURIComponent(callId)}`).then(
        (call) => {
          this.draw(call);
          resolve();
        },
        (error) => {
          this.open = null;
          this.notify.error(this.t('result.title'), `${this.t('result.load_failed')} ${(error.messages || []).join(' ')}`.trim());
          resolve();
        },
      );
    });
  }

  entityLabel(entity) {
    if (!entity) return '';
    return `${this.t(`popup.entity_${entity.type}`)}: ${entity.name || `#${entity.id}`}`;
  }

  draw(call) {
    const minutes = Math.floor((call.durationSeconds || 0) / 60);
    const seconds = (call.durationSeconds || 0) % 60;
    const due = new Date(Date.now() + 24 * 60 * 60 * 1000);
    due.setMinutes(0, 0, 0);
    const markup = this.templates.render('call-result', {
      callId: call.callId,
      summary: this.t(call.direction === 'outbound' ? 'result.summary_out' : 'result.summary_in', {
        phone: call.phone,
        duration: `${minutes}:${pad(seconds)}`,
      }),
      entity: call.loggedOn ? { url: call.loggedOn.url, label: this.entityLabel(call.loggedOn) } : null,
      statuses: CALL_STATUSES.map((value) => ({ value, label: this.t(`result.status_${value}`), selected: call.callStatus === value })),
      result: call.result || '',
      taskTypes: TASK_TYPES.map((id) => ({ id, label: this.t(`result.task_type_${id}`) })),
      defaultDue: localInputValue(due),
      defaultTaskText: this.t('result.task_default_text', { phone: call.phone }),
      texts: {
        title: this.t('result.title'),
        linkedTo: this.t('result.linked_to'),
        notLinked: this.t('result.not_linked'),
        search: this.t('result.search'),
        searchResults: this.t('result.search_results'),
        status: this.t('result.status'),
        statusKeep: this.t('result.status_keep'),
        result: this.t('result.result'),
        task: this.t('result.task'),
        taskType: this.t('result.task_type'),
        taskDue: this.t('result.task_due'),
        taskText: this.t('result.task_text'),
        save: this.t('result.save'),
        cancel: this.t('result.cancel'),
      },
    });
    const requestId = randomId();
    let chosen = null;
    const close = () => {
      this.open = null;
      if (modal && typeof modal.destroy === 'function') modal.destroy();
    };
    const modal = new Modal({
      class_name: 'kvoip-result-modal',
      init: ($body) => {
        $body.trigger('modal:loaded').html(markup).trigger('modal:centrify');
        const $root = $body.find('[data-kvoip="result"]');
        this.bindSearch($root, (entity) => {
          chosen = entity;
          $root.find('[data-kvoip="result-entity"]').empty().append(
            $('<a target="_blank" rel="noopener"></a>').attr('href', entity.url).text(this.entityLabel(entity)),
          );
        });
        $root.find('[data-kvoip="result-task-enabled"]').on('change', (event) => {
          $root.find('[data-kvoip="result-task-fields"]').prop('hidden', !event.currentTarget.checked);
        });
        $root.find('[data-kvoip="result-cancel"]').on('click', close);
        $root.find('[data-kvoip="result-save"]').on('click', () => this.save($root, call, chosen, requestId, close));
        $root.find('[data-kvoip="result-status"]')[0].focus();
      },
      destroy: () => {
        this.open = null;
      },
    });
    return modal;
  }

  bindSearch($root, onChoose) {
    const $input = $root.find('[data-kvoip="result-search"]');
    const $options = $root.find('[data-kvoip="result-options"]');
    let timer = null;
    let sequence = 0;
    const choose = (item) => {
      onChoose(item);
      $options.empty();
      $input.val('');
    };
    $input.on('input', () => {
      clearTimeout(timer);
      const query = String($input.val() || '').trim();
      if (query.length < 2) {
        $options.empty();
        return;
      }
      timer = setTimeout(() => {
        sequence += 1;
        const mine = sequence;
        this.api.request('GET', `/widget/entities/search?query=${encodeURIComponent(query)}`).then(
          (answer) => {
            if (mine !== sequence) return;
            $options.empty();
            (answer.items || []).forEach((item, index) => {
              $('<li role="option" tabindex="0" class="kvoip-result__option" data-kvoip="result-option"></li>')
                .attr({ 'data-type': item.type, 'data-id': item.id, id: `kvoip-result-option-${index}` })
                .text(this.entityLabel(item))
                .on('click', () => choose(item))
                .on('keydown', (event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    choose(item);
                  }
                })
                .appendTo($options);
            });
            if (!(answer.items || []).length) $('<li class="kvoip-result__empty" role="option" aria-disabled="true"></li>').text(this.t('result.no_matches')).appendTo($options);
          },
          (error) => {
            if (mine !== sequence) return;
            $options.empty().append($('<li class="kvoip-result__empty" role="option" aria-disabled="true"></li>').text((error.messages || []).join(' ') || this.t('result.search_failed')));
          },
        );
      }, SEARCH_DELAY_MS);
    });
    $input.on('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        const first = $options.find('[data-kvoip="result-option"]')[0];
        if (first) first.focus();
      }
    });
  }

  save($root, call, chosen, requestId, close) {
    const $error = $root.find('[data-kvoip="result-error"]');
    const $save = $root.find('[data-kvoip="result-save"]');
    $error.prop('hidden', true).text('');
    const body = { requestId };
    if (chosen && !(call.loggedOn && call.loggedOn.type === chosen.type && call.loggedOn.id === chosen.id)) {
      body.entity = { type: chosen.type, id: chosen.id };
    }
    const status = String($root.find('[data-kvoip="result-status"]').val() || '');
    if (status) body.callStatus = Number(status);
    const result = String($root.find('[data-kvoip="result-text"]').val() || '').trim();
    if (result) body.result = result;
    if ($root.find('[data-kvoip="result-task-enabled"]').prop('checked')) {
      const dueRaw = String($root.find('[data-kvoip="result-task-due"]').val() || '');
      const due = new Date(dueRaw);
      const text = String($root.find('[data-kvoip="result-task-text"]').val() || '').trim();
      if (!dueRaw || isNaN(due.getTime()) || due.getTime() <= Date.now()) return this.fail($root, this.t('result.task_due_invalid'), '[data-kvoip="result-task-due"]');
      if (!text) return this.fail($root, this.t('result.task_text_required'), '[data-kvoip="result-task-text"]');
      body.task = { typeId: Number($root.find('[data-kvoip="result-task-type"]').val()), dueAt: due.toISOString(), text };
    }
    $save.prop('disabled', true).attr('aria-busy', 'true');
    this.api.request('POST', `/widget/calls/${encodeURIComponent(call.callId)}/result`, body).then(
      () => {
        close();
        this.notify.info(this.t('result.title'), this.t('result.saved'));
      },
      (error) => {
        $save.prop('disabled', false).attr('aria-busy', 'false');
        this.fail($root, (error.messages || []).join(' ') || this.t('result.save_failed'));
      },
    );
    return undefined;
  }

  fail($root, message, focusSelector) {
    $root.find('[data-kvoip="result-error"]').text(message).prop('hidden', false);
    if (focusSelector) {
      const target = $root.find(focusSelector)[0];
      if (target) target.focus();
    }
    return undefined;
  }
}
