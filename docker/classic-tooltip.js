// gdlesson: Shift+Tab in the classic Notebook (6.x). Its tooltip shows only the text/plain part
// of a kernel's inspect reply, and GoNB answers with text/markdown only, so the tooltip stayed an
// empty box. This extension copies the Markdown into text/plain when text/plain is missing; the
// tooltip then shows the doc comment as plain text (HTML escaped by the tooltip itself).
// docker/setup.sh installs it as the nbextension gdlesson/tooltip and enables it for the classic
// Notebook only (/usr/etc/jupyter/nbconfig/notebook.d/gdlesson.json).
define(['notebook/js/tooltip'], function (tooltip) {
    'use strict';

    function load_ipython_extension() {
        var proto = tooltip.Tooltip.prototype;
        if (proto._gdlessonMarkdown) {
            return;
        }
        var show = proto._show;
        proto._gdlessonMarkdown = true;
        proto._show = function (reply) {
            var data = reply && reply.content && reply.content.data;
            if (data && !data['text/plain'] && data['text/markdown']) {
                data['text/plain'] = data['text/markdown'];
            }
            return show.apply(this, arguments);
        };
    }

    return {load_ipython_extension: load_ipython_extension};
});
