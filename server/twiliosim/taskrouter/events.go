package taskrouter

import "sync"

// Subscribe delivers the events a worker's SDK would receive (workerSid "" =
// every worker of the workspace; workspaceSid "" = every workspace). Each
// subscriber has its own goroutine and unbounded queue, so events arrive in
// order, and fn may call back into the Service. cancel stops delivery.
func (s *Service) Subscribe(workspaceSid, workerSid string, fn func(Event)) (cancel func()) {
	sub := &subscription{ws: workspaceSid, worker: workerSid, fn: fn,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	s.subs.mu.Lock()
	if s.subs.closed {
		s.subs.mu.Unlock()
		return func() {}
	}
	s.subs.next++
	id := s.subs.next
	s.subs.m[id] = sub
	s.subs.mu.Unlock()
	go sub.run()
	return func() {
		s.subs.mu.Lock()
		delete(s.subs.m, id)
		s.subs.mu.Unlock()
		sub.stop()
	}
}

// emit queues an event for its subscribers; the caller holds s.mu, which
// keeps events in the order the state changed.
func (s *Service) emit(ev Event) {
	ev.Date = s.now()
	s.log.Debug("taskrouter event", "type", ev.EventType, "worker", ev.WorkerSid)
	s.subs.mu.Lock()
	defer s.subs.mu.Unlock()
	for _, sub := range s.subs.m {
		if (sub.ws == "" || sub.ws == ev.WorkspaceSid) && (sub.worker == "" || sub.worker == ev.WorkerSid) {
			sub.push(ev)
		}
	}
}

type subscribers struct {
	mu     sync.Mutex
	next   int
	m      map[int]*subscription
	closed bool
}

func (ss *subscribers) init() { ss.m = map[int]*subscription{} }

func (ss *subscribers) closeAll() {
	ss.mu.Lock()
	subs := ss.m
	ss.m, ss.closed = map[int]*subscription{}, true
	ss.mu.Unlock()
	for _, sub := range subs {
		sub.stop()
	}
}

type subscription struct {
	ws, worker string
	fn         func(Event)

	mu    sync.Mutex
	queue []Event
	wake  chan struct{}
	done  chan struct{}
	once  sync.Once
}

func (sub *subscription) push(ev Event) {
	sub.mu.Lock()
	sub.queue = append(sub.queue, ev)
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

func (sub *subscription) stop() { sub.once.Do(func() { close(sub.done) }) }

func (sub *subscription) run() {
	for {
		select {
		case <-sub.done:
			return
		case <-sub.wake:
		}
		for {
			sub.mu.Lock()
			if len(sub.queue) == 0 {
				sub.mu.Unlock()
				break
			}
			ev := sub.queue[0]
			sub.queue = sub.queue[1:]
			sub.mu.Unlock()
			select {
			case <-sub.done:
				return
			default:
			}
			sub.fn(ev)
		}
	}
}
