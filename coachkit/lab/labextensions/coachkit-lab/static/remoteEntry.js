/*
 * coachkit-lab: the JupyterLab extension `coachkit lab` loads (and only it: the folder is
 * passed as an extra labextensions path, nothing is installed into JupyterLab itself).
 *
 * It is written by hand as a federated-extension container (the `init`/`get` pair JupyterLab's
 * bootstrap calls), because it needs nothing compiled: one plugin, no imports, the notebook
 * actions taken from the share scope JupyterLab hands to `init`.
 *
 * What it does, for a coachkit workbook (a notebook whose metadata has a `coachkit` entry, or a
 * papermill `client_id` parameter):
 * - when the workbook opens and its kernel is there, it runs all cells once, so the forms are
 *   live and show what is saved without anyone pressing Run All; it does that again after a
 *   kernel restart. A workbook the server has already run in that kernel (marked with the
 *   kernel's id in its `coachkit_lab` metadata) is not run again: its forms are live already;
 * - it collapses the left sidebar (the file browser) so the shared screen shows the workbook;
 * - while the kernel is not running (starting, dead, shut down, or the notebook not trusted),
 *   the workbook's outputs are dimmed and cannot be clicked, and a banner says what to do.
 */
(function () {
  'use strict';

  var NAME = 'coachkit-lab';
  var sharedScope = null;

  var CSS = [
    '.coachkit-lab-banner { display: none; position: absolute; z-index: 20; left: 0; right: 0; top: 0;',
    '  padding: 10px 16px; font-size: 18px; line-height: 1.4; background: #fff4e6; color: #7c2d12;',
    '  border-bottom: 3px solid #e8590c; }',
    '.coachkit-lab-off .coachkit-lab-banner { display: block; }',
    '.coachkit-lab-off .jp-OutputArea-output { opacity: 0.35; pointer-events: none; }',
    '.coachkit-waiting { font-size: 17px; color: #495057; font-style: italic; }',
    '.coachkit-workbook .jp-Cell .jp-InputPlaceholder { display: none; }'
  ].join('\n');

  var SAY = {
    starting: 'The workbook is starting: its forms appear in a moment.',
    dead:
      'The kernel of this workbook has stopped, so its forms cannot save. ' +
      'Choose Kernel \u25b8 Restart Kernel: the workbook then runs again by itself.',
    none:
      'This workbook has no kernel, so its forms cannot save. ' +
      'Choose Kernel \u25b8 Change Kernel\u2026 and pick Python 3: the workbook then runs by itself.',
    untrusted:
      'This workbook is not trusted, so coachkit does not run it by itself. If you rendered it with ' +
      '`coachkit workbook`, choose Run \u25b8 Run All Cells; otherwise render it again.'
  };

  function notebookActions() {
    var entry = sharedScope && sharedScope['@jupyterlab/notebook'];
    if (!entry) {
      return Promise.resolve(null);
    }
    var versions = Object.keys(entry);
    var chosen = versions.filter(function (v) { return entry[v].loaded; })[0] || versions[0];
    return Promise.resolve(entry[chosen].get()).then(function (factory) {
      var module = factory();
      return module && module.NotebookActions ? module.NotebookActions : null;
    });
  }

  function isNotebookPanel(widget) {
    return !!(
      widget && widget.context && widget.sessionContext && widget.content &&
      typeof widget.context.path === 'string' && widget.context.path.endsWith('.ipynb')
    );
  }

  function isWorkbook(model) {
    if (!model) {
      return false;
    }
    // Workbooks carry a `coachkit` entry; older renders are known by papermill's client_id.
    var get = function (key) {
      return typeof model.getMetadata === 'function' ? model.getMetadata(key) : (model.metadata || {})[key];
    };
    var papermill = get('papermill');
    return !!(get('coachkit') || (papermill && papermill.parameters && papermill.parameters.client_id));
  }

  function ranIn(model) {
    // The kernel the server ran the workbook in before handing it out, and how many of its first
    // cells ran there (coachkit.lab.contents.RAN_IN).
    var entry = typeof model.getMetadata === 'function' ? model.getMetadata('coachkit_lab') : null;
    if (!entry || typeof entry.kernel !== 'string') {
      return null;
    }
    return { kernel: entry.kernel, cells: typeof entry.cells === 'number' ? entry.cells : model.cells.length };
  }

  function kernelId(panel) {
    var kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return kernel ? kernel.id : null;
  }

  function formsDrawn(panel) {
    // Resolves once no output of the workbook still reads "Loading widget..." (its form's state
    // has come from the kernel), or after 10 s.
    return new Promise(function (resolve) {
      var began = Date.now();
      function check() {
        var outputs = panel.node.querySelectorAll('.jp-OutputArea-output');
        var waiting = false;
        for (var i = 0; i < outputs.length && !waiting; i++) {
          waiting = outputs[i].textContent === 'Loading widget...';
        }
        if (!waiting || Date.now() - began > 10000) {
          resolve();
        } else {
          setTimeout(check, 30);
        }
      }
      check();
    });
  }

  function trusted(model) {
    var cells = model.cells;
    for (var i = 0; i < cells.length; i++) {
      var cell = cells.get(i);
      if (cell.type === 'code' && cell.trusted === false) {
        return false;
      }
    }
    return true;
  }

  function liven(app, panel) {
    var banner = document.createElement('div');
    banner.className = 'coachkit-lab-banner';
    banner.setAttribute('role', 'status');
    var running = false;
    var restarting = false;
    var ranOnServer = false;

    function say(what) {
      if (what) {
        banner.textContent = SAY[what];
        panel.node.classList.add('coachkit-lab-off');
        panel.node.setAttribute('data-coachkit-lab', what);
      } else {
        panel.node.classList.remove('coachkit-lab-off');
        panel.node.setAttribute('data-coachkit-lab', 'live');
      }
    }

    function backToTop() {
      // Running every cell leaves the last one active and in view: the screen share starts at the top.
      var notebook = panel.content;
      notebook.activeCellIndex = 0;
      if (typeof notebook.deselectAll === 'function') {
        notebook.deselectAll();
      }
      notebook.node.scrollTop = 0;
      var outer = notebook.node.querySelector('.jp-WindowedPanel-outer');
      if (outer) {
        outer.scrollTop = 0;
      }
    }

    function runAll(from) {
      if (running) {
        return;
      }
      var kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
      if (!kernel) {
        say('none');
        return;
      }
      running = true;
      notebookActions()
        .then(function (actions) {
          if (actions && from > 0) {
            // The server ran the first cells already: run only the ones it left.
            panel.content.activeCellIndex = from;
            var rest = actions.runAllBelow(panel.content, panel.sessionContext);
            backToTop();
            return rest;
          }
          if (actions) {
            var done = actions.runAll(panel.content, panel.sessionContext);
            backToTop();
            return done;
          }
          app.shell.activateById(panel.id);
          return app.commands.execute('notebook:run-all-cells');
        })
        .then(function () {
          backToTop();
          panel.node.setAttribute('data-coachkit-ran', String(Date.now()));
        })
        .catch(function (err) {
          console.error('coachkit-lab: running the workbook failed', err);
        })
        .then(function () {
          running = false;
        });
    }

    function follow() {
      var status = panel.sessionContext.kernelDisplayStatus;
      if (status === 'restarting' || status === 'autorestarting') {
        restarting = true;
      }
      if (panel.sessionContext.hasNoKernel) {
        say('none');
      } else if (status === 'dead' || status === 'terminating' || status === 'unknown') {
        say('dead');
      } else if (status === 'idle' || status === 'busy') {
        say(null);
        if (ranOnServer && !panel.node.hasAttribute('data-coachkit-ran')) {
          panel.node.setAttribute('data-coachkit-ran-on', 'server');
          panel.node.setAttribute('data-coachkit-ran', String(Date.now()));
        }
        if (restarting && status === 'idle') {
          restarting = false;
          runAll(0);
        }
      } else {
        say('starting');
      }
    }

    return panel.context.ready
      .then(function () {
        var model = panel.content.model;
        if (!isWorkbook(model)) {
          return;
        }
        panel.node.classList.add('coachkit-workbook');
        panel.node.appendChild(banner);
        if (typeof app.shell.collapseLeft === 'function') {
          app.shell.collapseLeft();
        }
        if (!trusted(model)) {
          say('untrusted');
          return;
        }
        say('starting');
        return panel.sessionContext.ready.then(function () {
          panel.sessionContext.statusChanged.connect(follow);
          panel.sessionContext.kernelChanged.connect(function () {
            restarting = true;
            follow();
          });
          var ran = ranIn(model);
          if (ran && ran.kernel === kernelId(panel)) {
            // Handed out with the outputs of its run on the server, in this very kernel: the widget
            // manager fetches the forms' state from the kernel; only cells the run left are run.
            if (ran.cells >= model.cells.length) {
              ranOnServer = true;
              follow();
              return;
            }
            panel.node.setAttribute('data-coachkit-ran-on', 'server-then-browser');
            follow();
            // The widget manager's one request for the forms' state queues behind any cell sent
            // to the kernel: the cells left are sent once the forms that ran are drawn.
            return formsDrawn(panel).then(function () {
              runAll(ran.cells);
            });
          }
          follow();
          runAll(0);
        });
      })
      .catch(function (err) {
        console.error('coachkit-lab: could not bring the workbook to life', err);
      });
  }

  var plugin = {
    id: 'coachkit-lab:live-workbooks',
    description: 'Runs a coachkit workbook when it opens so its forms are live, and says so when its kernel is not running.',
    autoStart: true,
    requires: [],
    activate: function (app) {
      var style = document.createElement('style');
      style.setAttribute('data-coachkit-lab', 'style');
      style.textContent = CSS;
      document.head.appendChild(style);
      var seen = new WeakSet();
      function scan() {
        var widgets = app.shell.widgets('main');
        var next = widgets.next();
        while (next && !next.done) {
          var widget = next.value;
          if (isNotebookPanel(widget) && !seen.has(widget)) {
            seen.add(widget);
            liven(app, widget);
          }
          next = widgets.next();
        }
      }
      app.shell.layoutModified.connect(scan);
      app.shell.currentChanged.connect(scan);
      app.restored.then(scan);
      document.body.setAttribute('data-coachkit-lab', 'ready');
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (scope) {
      sharedScope = scope;
      return Promise.resolve();
    },
    get: function (module) {
      if (module === './extension') {
        return Promise.resolve(function () {
          return { __esModule: true, default: [plugin] };
        });
      }
      return Promise.reject(new Error('coachkit-lab has no module ' + module));
    }
  };
})();
