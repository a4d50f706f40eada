package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestCheck: the load test's flags, each bad value refused with a message naming it.
func TestCheck(t *testing.T) {
	good := config{hub: "http://127.0.0.1:8000", prefix: "lt", notebooks: []string{"01_gradient_descent.ipynb", "03_exercises.ipynb"},
		learners: 5, duration: time.Minute, thinkMin: time.Second, thinkMax: 2 * time.Second}
	for _, tc := range []struct {
		name string
		edit func(*config)
		want string // "" means accepted
	}{
		{"defaults", func(*config) {}, ""},
		{"prestart", func(c *config) { c.prestart, c.prestartCmd = true, "python3 docker/hub/prestart.py" }, ""},
		{"no notebooks", func(c *config) { c.notebooks = nil }, "-notebooks: want at least one notebook"},
		{"not a notebook", func(c *config) { c.notebooks = []string{"01.txt"} }, `-notebooks: "01.txt"`},
		{"outside the folder", func(c *config) { c.notebooks = []string{"../01.ipynb"} }, `-notebooks: "../01.ipynb"`},
		{"absolute", func(c *config) { c.notebooks = []string{"/etc/01.ipynb"} }, `-notebooks: "/etc/01.ipynb"`},
		{"prestart without a command", func(c *config) { c.prestart, c.prestartCmd = true, " " }, "-prestart-cmd is empty"},
		{"too many learners", func(c *config) { c.learners = 201 }, "-learners 201: want 1 to 200"},
		{"every learner presses Tab", func(c *config) { c.tab = 1 }, ""},
		{"a share above 1", func(c *config) { c.tab = 1.5 }, "-tab 1.5: want a share from 0 to 1"},
		{"a negative share", func(c *config) { c.tab = -0.1 }, "-tab -0.1"},
		{"not a number", func(c *config) { c.tab = math.NaN() }, "-tab NaN"},
		{"not loopback", func(c *config) { c.hub = "http://192.0.2.1:8000" }, "not a loopback address"},
	} {
		c := good
		tc.edit(&c)
		err := check(c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: check: %v; want it accepted", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: check: %v; want an error containing %q", tc.name, err, tc.want)
		}
	}
}
