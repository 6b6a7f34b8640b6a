package bench

import "testing"

func TestParseFuzzOutput(t *testing.T) {
	out := `fuzz: elapsed: 0s, gathering baseline coverage: 0/12 completed
fuzz: elapsed: 3s, execs: 81234 (27075/sec), new interesting: 2 (total: 14)
fuzz: elapsed: 6s, execs: 160020 (26262/sec), new interesting: 3 (total: 15)
PASS
ok  	x	6.1s`
	s := ParseFuzzOutput(out)
	if !s.Seen || s.Execs != 160020 || s.PerSec != 26262 || s.Corpus != 15 {
		t.Fatalf("%+v", s)
	}
	if ParseFuzzOutput("ok x 0.1s").Seen {
		t.Fatal("progress seen where there is none")
	}
}

func TestParseFuzzTargets(t *testing.T) {
	got, err := ParseFuzzTargets(" ./a:FuzzA \n ./b/c:FuzzB ")
	if err != nil || len(got) != 2 || got[1] != (FuzzTarget{"./b/c", "FuzzB"}) {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := ParseFuzzTargets("./a"); err == nil {
		t.Fatal("a target without a name accepted")
	}
}
