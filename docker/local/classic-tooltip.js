// gdlesson: Shift+Tab in the classic Notebook (6.x). Its tooltip shows only the text/plain part
// of a kernel's inspect reply, and GoNB answers with text/markdown only, so the tooltip stayed an
// empty box. This extension fills text/plain from the Markdown when text/plain is missing: code
// fences and rules dropped, links as "text (address)", so the box's first lines are the
// signature and the doc comment (HTML is escaped by the tooltip itself).
// docker/local/setup.sh installs it as the nbextension gdlesson/tooltip and enables it for the classic
// Notebook only (/usr/etc/jupyter/nbconfig/notebook.d/gdlesson.json).
define(['notebook/js/tooltip'], function (tooltip) {
    'use strict';

    function plain(markdown) {
        return markdown
            .replace(/^```[A-Za-z]*[ \t]*$/gm, '')
            .replace(/^---[ \t]*$/gm, '')
            .replace(/\[`?([^\]`]*)`?([^\]]*)\]\(([^)]*)\)/g, '$1$2 ($3)')
            .replace(/\n{3,}/g, '\n\n')
            .trim();
    }

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
                data['text/plain'] = plain(data['text/markdown']);
            }
            return show.apply(this, arguments);
        };
    }

    return {load_ipython_extension: load_ipython_extension};
});
