package tone

import (
	"encoding/binary"
	"testing"
	"time"
)

func TestWAVIsOneCycleOfPCM(t *testing.T) {
	b := RingbackWAV()
	if string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a canonical WAV header: %q", b[:44])
	}
	rate := binary.LittleEndian.Uint32(b[24:28])
	bits := binary.LittleEndian.Uint16(b[34:36])
	data := binary.LittleEndian.Uint32(b[40:44])
	if rate != SampleRate || bits != 16 || int(data) != len(b)-44 {
		t.Fatalf("rate %d bits %d data %d (file %d)", rate, bits, data, len(b))
	}
	if got := time.Duration(data/2) * time.Second / SampleRate; got != On+Off {
		t.Fatalf("duration %v, want %v", got, On+Off)
	}
	// Tone during the first two seconds, silence after.
	sample := func(i int) int16 { return int16(binary.LittleEndian.Uint16(b[44+2*i:])) }
	var loud, quiet int
	for i := 1000; i < 15000; i++ {
		if sample(i) > 2000 || sample(i) < -2000 {
			loud++
		}
	}
	for i := 17000; i < 48000; i++ {
		if sample(i) != 0 {
			quiet++
		}
	}
	if loud == 0 || quiet != 0 {
		t.Fatalf("cadence wrong: %d loud samples in the tone, %d non-zero in the silence", loud, quiet)
	}
}
