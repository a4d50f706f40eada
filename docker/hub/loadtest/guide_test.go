package main

// TestGuideCommands checks every command of the Japanese guide, docker/hub/README.ja.md: each line
// of its ```sh blocks. A command of this repository (bash docker/hub/X.sh, python3
// docker/hub/X.py) must name a script that exists, with only options the script accepts and only
// GDLESSON_ variables that it (or the hub's configuration it starts) reads; each such script is
// that takes --help is run with it (and nothing else is run: setup.sh installs, start.sh and
// stop.sh act on the machine's hub), prereqs.sh with --check, learners.py --check on the guide's
// own CSV example.
// A system command must be one the guide may use (guideTools) with the subcommands and options
// listed there; Debian packages it installs must exist (apt-cache show), and a systemd unit it
// names must be one that docker/hub installs (a gdlesson-NAME unit: docker/hub/systemd/NAME.service).
// Each line of its ```conf blocks (the settings file /etc/default/gdlesson-hub) is VARIABLE=value
// with a variable that start.sh, proxy.sh or the hub's configuration reads. So a script's option
// renamed, a variable dropped or a script moved fails here until the guide says it the new way.
// TestBackupRestore runs the guide's backup and restore.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// guideCmd is one command of the guide: its line, the variables set before it, its words.
type guideCmd struct {
	line  int
	env   []string
	words []string
}

func (c guideCmd) String() string {
	return fmt.Sprintf("README.ja.md:%d: %s", c.line, strings.Join(c.words, " "))
}

// guideBlocks returns the text of the guide's fenced blocks of the language lang (sh, csv), each
// with the line number of its first line.
func guideBlocks(guide, lang string) (blocks []string, lines []int) {
	var cur []string
	in := false
	start := 0
	for i, l := range strings.Split(guide, "\n") {
		switch {
		case !in && strings.TrimSpace(l) == "```"+lang:
			in, cur, start = true, nil, i+2
		case in && strings.TrimSpace(l) == "```":
			in = false
			blocks, lines = append(blocks, strings.Join(cur, "\n")), append(lines, start)
		case in:
			cur = append(cur, l)
		}
	}
	return blocks, lines
}

// shellWords splits a command line as the shell does for the guide's simple commands: words
// separated by blanks, '…' and "…" quoted, a # comment to the end. It fails on what the guide
// must not use: pipes, redirections, substitutions, ; (one command a line; && is split by the
// caller).
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
		case r == '#' && !inWord:
			return words, nil
		case strings.ContainsRune("|<>;`$(){}", r):
			return nil, fmt.Errorf("%q: the guide's commands are simple commands (no %q)", s, r)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("%q: unclosed quote", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// guideCommands returns every command of the guide's sh blocks.
func guideCommands(t *testing.T, guide string) []guideCmd {
	t.Helper()
	var cmds []guideCmd
	blocks, starts := guideBlocks(guide, "sh")
	assign := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	for b, block := range blocks {
		lines := strings.Split(block, "\n")
		for i := 0; i < len(lines); i++ {
			at, text := starts[b]+i, lines[i]
			for strings.HasSuffix(text, "\\") && i+1 < len(lines) { // continued on the next line
				i++
				text = strings.TrimSuffix(text, "\\") + " " + lines[i]
			}
			for _, part := range strings.Split(text, "&&") {
				words, err := shellWords(part)
				if err != nil {
					t.Errorf("README.ja.md:%d: %v", at, err)
					continue
				}
				c := guideCmd{line: at}
				for len(words) > 0 && (words[0] == "sudo" || assign.MatchString(words[0])) {
					if words[0] != "sudo" {
						c.env = append(c.env, words[0][:strings.Index(words[0], "=")])
					}
					words = words[1:]
				}
				if len(words) > 0 {
					c.words = words
					cmds = append(cmds, c)
				}
			}
		}
	}
	return cmds
}

// guideTool is what the guide may run of a system command: its subcommands (the first word
// after it; nil: any) and its options (nil: any).
type guideTool struct {
	subcommands []string
	options     []string
}

// guideTools are the system commands the guide uses, and how.
var guideTools = map[string]guideTool{
	"apt-get":    {subcommands: []string{"update", "install"}, options: []string{"-y"}},
	"git":        {subcommands: []string{"clone", "pull"}, options: []string{}},
	"cd":         {},
	"systemctl":  {subcommands: []string{"status", "start", "stop", "restart", "enable", "disable"}, options: []string{"--now"}},
	"journalctl": {options: []string{"-u", "-f", "--since"}},
	"certbot":    {subcommands: []string{"certonly", "renew"}, options: []string{"--standalone", "-d", "--deploy-hook", "--dry-run"}},
	"ls":         {options: []string{"-l"}},
	"cat":        {options: []string{}},
	"nano":       {options: []string{}},
	"userdel":    {options: []string{"-r"}},
	"rm":         {options: []string{"-r"}},
}

// repoScript returns the repository's script a command runs (bash X, python3 X), or "".
func repoScript(c guideCmd) string {
	if len(c.words) < 2 {
		return ""
	}
	switch p := c.words[0]; {
	case p == "bash", p == "python3", strings.HasSuffix(p, "/venv/bin/python3"):
		return c.words[1]
	}
	return ""
}

func TestGuideCommands(t *testing.T) {
	repo, _ := filepath.Abs("../../..")
	raw, err := os.ReadFile(filepath.Join(repo, "docker/hub/README.ja.md"))
	if err != nil {
		t.Fatal(err)
	}
	guide := string(raw)
	cmds := guideCommands(t, guide)
	if len(cmds) < 10 {
		t.Fatalf("the guide has %d commands in its sh blocks; want the whole course, from a bare server to its end", len(cmds))
	}
	// The files whose text says which options and variables a script accepts: the script, and
	// for start.sh the hub's configuration it runs.
	accepts := func(script string) string {
		var b bytes.Buffer
		for _, f := range []string{script} {
			x, _ := os.ReadFile(filepath.Join(repo, f))
			b.Write(x)
		}
		if strings.HasSuffix(script, "docker/hub/start.sh") || strings.HasSuffix(script, "docker/hub/setup.sh") {
			for _, f := range []string{"docker/hub/jupyterhub_config.py", "docker/hub/gdlesson_hub.py"} {
				x, _ := os.ReadFile(filepath.Join(repo, f))
				b.Write(x)
			}
		}
		return b.String()
	}
	scripts := map[string]guideCmd{}
	var packages []string
	for _, c := range cmds {
		if script := repoScript(c); script != "" {
			if !exists(filepath.Join(repo, script)) {
				t.Errorf("%s: no script %s in the repository", c, script)
				continue
			}
			text := accepts(script)
			for _, w := range c.words[2:] {
				if opt, _, _ := strings.Cut(w, "="); strings.HasPrefix(opt, "-") && !regexp.MustCompile(`(^|[\s|("'])`+regexp.QuoteMeta(opt)+`([\s|)="']|$)`).MatchString(text) {
					t.Errorf("%s: %s does not accept the option %s", c, script, opt)
				}
			}
			for _, v := range c.env {
				if !strings.Contains(text, v) {
					t.Errorf("%s: %s does not read the variable %s", c, script, v)
				}
			}
			if _, ok := scripts[script]; !ok {
				scripts[script] = c
			}
			continue
		}
		if len(c.env) > 0 {
			t.Errorf("%s: variables (%s) set for a command that is not the repository's", c, strings.Join(c.env, " "))
		}
		tool, ok := guideTools[c.words[0]]
		if !ok {
			t.Errorf("%s: %s is not a command the guide may use (guideTools)", c, c.words[0])
			continue
		}
		args := c.words[1:]
		if tool.subcommands != nil {
			if len(args) == 0 || !slices.Contains(tool.subcommands, args[0]) {
				t.Errorf("%s: %s's subcommand must be one of %v", c, c.words[0], tool.subcommands)
				continue
			}
			args = args[1:]
		}
		for _, a := range args {
			if opt, _, _ := strings.Cut(a, "="); strings.HasPrefix(opt, "-") && tool.options != nil && !slices.Contains(tool.options, opt) {
				t.Errorf("%s: %s's option %s is not one the guide may use (%v)", c, c.words[0], opt, tool.options)
			}
		}
		switch c.words[0] {
		case "apt-get":
			if c.words[1] == "install" {
				for _, p := range args {
					if !strings.HasPrefix(p, "-") {
						packages = append(packages, p)
					}
				}
			}
		case "git":
			if c.words[1] == "clone" && (len(args) == 0 || args[0] != "https://github.com/gdlesson/gdlesson.git") {
				t.Errorf("%s: clone https://github.com/gdlesson/gdlesson.git (the module github.com/gdlesson/gdlesson)", c)
			}
		case "systemctl", "journalctl":
			for _, a := range args {
				if strings.HasSuffix(a, ".service") || strings.HasSuffix(a, ".timer") {
					if out, _ := exec.Command("grep", "-rlF", a, filepath.Join(repo, "docker/hub")).Output(); len(out) == 0 {
						t.Errorf("%s: nothing in docker/hub installs the unit %s", c, a)
					}
				}
				if unit := strings.TrimSuffix(a, ".service"); strings.HasPrefix(unit, "gdlesson-") && !exists(filepath.Join(repo, "docker/hub/systemd", unit+".service")) {
					t.Errorf("%s: docker/hub/systemd has no unit %s.service", c, unit)
				}
			}
		}
	}

	// The settings the guide writes into /etc/default/gdlesson-hub, which both units read.
	settings := accepts("docker/hub/start.sh") + accepts("docker/hub/proxy.sh")
	confs, confStarts := guideBlocks(guide, "conf")
	if len(confs) == 0 {
		t.Error("the guide has no conf block: the settings file /etc/default/gdlesson-hub is not shown")
	}
	setting := regexp.MustCompile(`^(GDLESSON_[A-Z0-9_]+)=[^\s'"$]+$`)
	for b, block := range confs {
		for i, l := range strings.Split(block, "\n") {
			m := setting.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("README.ja.md:%d: %q: a line of /etc/default/gdlesson-hub is GDLESSON_NAME=value (no blanks or quotes)", confStarts[b]+i, l)
			} else if !strings.Contains(settings, m[1]) {
				t.Errorf("README.ja.md:%d: %s is read neither by start.sh, proxy.sh nor the hub's configuration", confStarts[b]+i, m[1])
			}
		}
	}

	// Debian packages the guide installs.
	lists, _ := filepath.Glob("/var/lib/apt/lists/*_Packages*")
	if len(packages) > 0 && len(lists) == 0 && os.Getenv("CI") == "" {
		t.Logf("no apt package lists here (apt-get update was never run): the packages %v are not checked", packages)
	} else if len(packages) > 0 {
		if out, err := exec.Command("apt-cache", append([]string{"show", "--no-all-versions"}, packages...)...).CombinedOutput(); err != nil {
			t.Errorf("apt-cache show %s: %v\n%s", strings.Join(packages, " "), err, out)
		}
	}

	// The harmless runs. A script of the guide that says it takes --help (a "--help)" case or
	// argparse) is run with it; no other script is run here: setup.sh installs, start.sh and
	// stop.sh act on the machine's hub. prereqs.sh --check must find this machine ready, and
	// learners.py --check must accept the guide's CSV example.
	helps := 0
	for script := range scripts {
		text, _ := os.ReadFile(filepath.Join(repo, script))
		if !regexp.MustCompile(`--help\)|import argparse`).Match(text) {
			continue
		}
		run := "bash"
		if strings.HasSuffix(script, ".py") {
			run = venvHub + "/bin/python3"
			if !exists(run) {
				run = "/usr/bin/python3"
			}
		}
		helps++
		if out, err := exec.Command(run, filepath.Join(repo, script), "--help").CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) == 0 {
			t.Errorf("%s --help: %v\n%s", script, err, out)
		}
	}
	if helps < 4 {
		t.Errorf("only %d scripts of the guide answer --help; want prereqs.sh, learners.py, backup.sh and restore.sh at least", helps)
	}
	if _, ok := scripts["docker/hub/prereqs.sh"]; !ok {
		t.Error("the guide does not run docker/hub/prereqs.sh (Go and git on a bare server)")
	} else if out, err := exec.Command("bash", filepath.Join(repo, "docker/hub/prereqs.sh"), "--check").CombinedOutput(); err != nil {
		t.Errorf("prereqs.sh --check on this machine: %v\n%s", err, out)
	}
	csvs, _ := guideBlocks(guide, "csv")
	if len(csvs) != 1 {
		t.Fatalf("the guide has %d CSV examples; want one, the learners' list", len(csvs))
	}
	list := filepath.Join(t.TempDir(), "learners.csv")
	os.WriteFile(list, []byte(csvs[0]+"\n"), 0o644)
	if out, err := exec.Command("/usr/bin/python3", filepath.Join(repo, "docker/hub/learners.py"), "--check", list).CombinedOutput(); err != nil {
		t.Errorf("learners.py --check on the guide's CSV example: %v\n%s", err, out)
	}
}

// TestGuideRules checks the parser on lines it must read and lines it must refuse.
func TestGuideRules(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
		bad  bool
	}{
		{`sudo bash docker/hub/setup.sh   # 30 分ほど`, []string{"sudo", "bash", "docker/hub/setup.sh"}, false},
		{`sudo GDLESSON_HUB_IP=0.0.0.0 bash docker/hub/start.sh`, []string{"sudo", "GDLESSON_HUB_IP=0.0.0.0", "bash", "docker/hub/start.sh"}, false},
		{`git clone 'https://github.com/gdlesson/gdlesson.git'`, []string{"git", "clone", "https://github.com/gdlesson/gdlesson.git"}, false},
		{`cat learners.csv | python3 x.py`, nil, true},
		{`echo $(date)`, nil, true},
		{`ls > out`, nil, true},
	} {
		got, err := shellWords(tc.line)
		if (err != nil) != tc.bad || (!tc.bad && !slices.Equal(got, tc.want)) {
			t.Errorf("shellWords(%q) = %q, %v; want %q (refused: %v)", tc.line, got, err, tc.want, tc.bad)
		}
	}
}
