package twiliosim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// The page names a conference by its parties, also once it has ended (when
// nobody is in it any more), and keeps only the newest finished tasks and
// ended conferences: a long demo does not grow an endless table.
func TestPageStateNamesPartiesAndKeepsTheNewestFinished(t *testing.T) {
	product := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<Response><Dial><Conference>`+r.URL.Query().Get("room")+`</Conference></Dial></Response>`)
	}))
	defer product.Close()
	sim, _ := mounted(t, twiliosim.Options{AnswerDelay: time.Millisecond, MediaSpeed: 50})
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	const calls = twiliosim.PageFinished + 5
	for i := range calls {
		room := fmt.Sprintf("room-%02d", i)
		var legs []string
		for _, to := range []string{"client:alice", "client:bob"} {
			sid, err := sim.Voice.Dial(voice.DialRequest{From: "+15550000", To: to, URL: product.URL + "/?room=" + room})
			if err != nil {
				t.Fatal(err)
			}
			legs = append(legs, sid)
		}
		waitFor(ctx, t, func() string {
			for _, cf := range sim.Voice.Conferences() {
				if cf.FriendlyName == room && len(cf.Participants) == 2 {
					return cf.Sid
				}
			}
			return ""
		})
		for _, leg := range legs {
			if err := sim.Voice.Hangup(leg); err != nil {
				t.Fatal(err)
			}
		}
		tk, err := sim.TaskRouter.CreateTask(sd.WorkspaceSid, taskrouter.TaskParams{WorkflowSid: sd.AssignToAnyoneWorkflowSid,
			Attributes: `{"to":"client:bob","from":"client:alice"}`})
		if err != nil {
			t.Fatal(err)
		}
		canceled := "canceled"
		if _, err := sim.TaskRouter.UpdateTask(sd.WorkspaceSid, tk.Sid, taskrouter.TaskUpdate{AssignmentStatus: &canceled}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	open, err := sim.TaskRouter.CreateTask(sd.WorkspaceSid, taskrouter.TaskParams{WorkflowSid: sd.AssignToAnyoneWorkflowSid,
		Attributes: `{"to":"client:bob","from":"client:alice"}`})
	if err != nil {
		t.Fatal(err)
	}

	st := sim.State()
	if len(st.Conferences) != twiliosim.PageFinished {
		t.Errorf("%d conferences on the page, want the newest %d ended", len(st.Conferences), twiliosim.PageFinished)
	}
	for i, c := range st.Conferences {
		if want := fmt.Sprintf("room-%02d", calls-1-i); c.FriendlyName != want {
			t.Errorf("conference %d is %s, want %s (newest first)", i, c.FriendlyName, want)
		}
		parties := slices.Sorted(slices.Values(c.Parties))
		if c.Status != "completed" || !slices.Equal(parties, []string{"Alice Andrews", "Bob Baker"}) {
			t.Errorf("ended conference %s: %s, parties %q, want Alice Andrews and Bob Baker", c.FriendlyName, c.Status, c.Parties)
		}
	}
	finished := 0
	for _, tk := range st.Tasks {
		if tk.Status == "canceled" || tk.Status == "completed" {
			finished++
		}
	}
	if finished != twiliosim.PageFinished || len(st.Tasks) != twiliosim.PageFinished+1 || st.Tasks[0].Sid != open.Sid {
		t.Errorf("%d tasks on the page (%d finished), want the open one first and the newest %d finished", len(st.Tasks), finished, twiliosim.PageFinished)
	}
	if st.Tasks[0].FromName != "Alice Andrews" || st.Tasks[0].ToName != "Bob Baker" {
		t.Errorf("task parties: from %q to %q", st.Tasks[0].FromName, st.Tasks[0].ToName)
	}
}
