// Package tone generates the ringback tone the caller hears while the
// callee is offered, so the server depends on no third-party media URL.
package tone

import (
	"bytes"
	"encoding/binary"
	"math"
	"time"
)

// Cadence of the North American ringback tone: 440 Hz + 480 Hz, two seconds on,
// four seconds off. The file holds one cycle; TwiML loops it.
const (
	SampleRate = 8000
	On         = 2 * time.Second
	Off        = 4 * time.Second
)

// RingbackWAV returns one ringback cycle as a 16-bit mono PCM WAV file at 8 kHz, the
// telephone rate Twilio plays without resampling.
func RingbackWAV() []byte {
	onSamples := int(On.Seconds() * SampleRate)
	total := int((On + Off).Seconds() * SampleRate)
	pcm := make([]int16, total)
	const amplitude = 0.25 * math.MaxInt16 // about -15 dBFS per tone: clear, not harsh
	for i := range onSamples {
		t := float64(i) / SampleRate
		// A 10 ms ramp at each edge avoids clicks.
		env := math.Min(1, math.Min(t, On.Seconds()-t)/0.01)
		v := env * amplitude * (math.Sin(2*math.Pi*440*t) + math.Sin(2*math.Pi*480*t)) / 2
		pcm[i] = int16(v)
	}
	var b bytes.Buffer
	dataLen := uint32(2 * len(pcm))
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, 36+dataLen)
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, struct {
		Size          uint32
		Format        uint16
		Channels      uint16
		SampleRate    uint32
		ByteRate      uint32
		BlockAlign    uint16
		BitsPerSample uint16
	}{16, 1, 1, SampleRate, SampleRate * 2, 2, 16})
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, dataLen)
	binary.Write(&b, binary.LittleEndian, pcm)
	return b.Bytes()
}
