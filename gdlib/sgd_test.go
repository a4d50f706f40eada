package gdlib

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestUpdateRuleLivesInOnePlace checks that UpdateRule is the source line of descend and that no
// other file of the package writes a parameter update of its own.
func TestUpdateRuleLivesInOnePlace(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// An in-place subtraction or addition of a scaled value, the shape of an update.
	update := regexp.MustCompile(`\w+\[\w+\]\s*[-+]=\s*\w*(lr|LR)\b`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.TrimSpace(line) == UpdateRule {
				found++
				if f != "optimizer.go" {
					t.Errorf("%s:%d holds the update rule; want it only in optimizer.go", f, i+1)
				}
			} else if update.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") && !strings.Contains(line, "UpdateRule =") {
				t.Errorf("%s:%d: %q updates with a learning rate outside descend", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if found != 1 {
		t.Errorf("UpdateRule %q found %d times; want exactly once, in descend", UpdateRule, found)
	}
}

func TestSGDStepByHand(t *testing.T) {
	p, _ := NewParams(1, 2, 1)
	g, _ := NewParams(1, 2, 1)
	p.W1.SetRow(0, []float64{1, -2})
	g.W1.SetRow(0, []float64{0.5, 10})
	g.B2.Set(0, 0, -1)
	if err := NewSGD(0.1).Update(p, g); err != nil {
		t.Fatal(err)
	}
	// w ← w − 0.1·g: [1 − 0.05, −2 − 1] = [0.95, −3]; b2 ← 0 + 0.1.
	want := []float64{0.95, -3}
	for j, w := range want {
		if got := p.W1.At(0, j); got != w {
			t.Errorf("W1[%d] = %v; want %v", j, got, w)
		}
	}
	if got := p.B2.At(0, 0); got != 0.1 {
		t.Errorf("b2 = %v; want 0.1", got)
	}
	if err := NewSGD(0.1).Update(p, &Params{W1: mat.NewDense(2, 2, nil), B1: g.B1, W2: g.W2, B2: g.B2}); err == nil ||
		!strings.Contains(err.Error(), "gradient W1 is 2×2: want 1×2") {
		t.Errorf("gradient of another shape: error %v; want one naming W1 and both shapes", err)
	}
}
