// Package taskrouter simulates TaskRouter v1 as the product's server (REST,
// through twilio-go) and the Flex worker SDK (events, reservation actions) see
// it: workspaces, activities, workers and their channels, task channels, task
// queues, workflows with filter/target routing, tasks with ETag revisions, and
// reservations with the Call instruction.
//
// The Go API below and the REST handlers share one implementation, so seed data
// and simulated agents go through the same validation as HTTP clients.
package taskrouter

import (
	"log/slog"
	"time"
)

// Dialer places the outbound leg of a reservation's Call instruction. The voice
// simulator implements it.
type Dialer interface {
	Dial(leg CallLeg) (callSid string, err error)
}

// CallLeg is the leg a Call instruction places (Update Reservation's Call*
// parameters).
type CallLeg struct {
	From, To, URL string
	// StatusCallback is CallStatusCallbackUrl: Twilio posts the leg's
	// completed event there.
	StatusCallback string
	Timeout        time.Duration
	// OnAnswered and OnEnded may run on any goroutine.
	OnAnswered func(callSid string)
	OnEnded    func(callSid, status string)
}

// Config configures a Service.
type Config struct {
	AccountSid string
	Dialer     Dialer
	// ReservationTimeout applies to reservations of workflows created without an
	// explicit TaskReservationTimeout. Default 120s, as on Twilio.
	ReservationTimeout time.Duration
	Logger             *slog.Logger
	// Now stamps resources; timers still run on the real clock.
	Now func() time.Time
}

// Resource views: JSON exactly as the REST API shows them (twilio-go decodes
// them into its TaskrouterV1* structs).

// Workspace is a TaskRouter workspace.
type Workspace struct {
	AccountSid           string            `json:"account_sid"`
	Sid                  string            `json:"sid"`
	FriendlyName         string            `json:"friendly_name"`
	DefaultActivitySid   string            `json:"default_activity_sid"`
	DefaultActivityName  string            `json:"default_activity_name"`
	TimeoutActivitySid   string            `json:"timeout_activity_sid"`
	TimeoutActivityName  string            `json:"timeout_activity_name"`
	EventCallbackURL     *string           `json:"event_callback_url"`
	EventsFilter         *string           `json:"events_filter"`
	MultiTaskEnabled     bool              `json:"multi_task_enabled"`
	PrioritizeQueueOrder string            `json:"prioritize_queue_order"`
	DateCreated          string            `json:"date_created"`
	DateUpdated          string            `json:"date_updated"`
	URL                  string            `json:"url"`
	Links                map[string]string `json:"links"`
}

// Activity is a worker state; Available ones make workers routable.
type Activity struct {
	AccountSid   string            `json:"account_sid"`
	WorkspaceSid string            `json:"workspace_sid"`
	Sid          string            `json:"sid"`
	FriendlyName string            `json:"friendly_name"`
	Available    bool              `json:"available"`
	DateCreated  string            `json:"date_created"`
	DateUpdated  string            `json:"date_updated"`
	URL          string            `json:"url"`
	Links        map[string]string `json:"links"`
}

// Worker is an agent. Attributes is a JSON object string.
type Worker struct {
	AccountSid        string            `json:"account_sid"`
	WorkspaceSid      string            `json:"workspace_sid"`
	Sid               string            `json:"sid"`
	FriendlyName      string            `json:"friendly_name"`
	Attributes        string            `json:"attributes"`
	ActivitySid       string            `json:"activity_sid"`
	ActivityName      string            `json:"activity_name"`
	Available         bool              `json:"available"`
	DateCreated       string            `json:"date_created"`
	DateUpdated       string            `json:"date_updated"`
	DateStatusChanged string            `json:"date_status_changed"`
	URL               string            `json:"url"`
	Links             map[string]string `json:"links"`
	// ETag is the worker's revision as the ETag header shows it.
	ETag string `json:"-"`
}

// WorkerChannel is a worker's capacity on one task channel.
type WorkerChannel struct {
	AccountSid                  string            `json:"account_sid"`
	WorkspaceSid                string            `json:"workspace_sid"`
	WorkerSid                   string            `json:"worker_sid"`
	Sid                         string            `json:"sid"`
	TaskChannelSid              string            `json:"task_channel_sid"`
	TaskChannelUniqueName       string            `json:"task_channel_unique_name"`
	AssignedTasks               int               `json:"assigned_tasks"`
	Available                   bool              `json:"available"`
	AvailableCapacityPercentage int               `json:"available_capacity_percentage"`
	ConfiguredCapacity          int               `json:"configured_capacity"`
	DateCreated                 string            `json:"date_created"`
	DateUpdated                 string            `json:"date_updated"`
	URL                         string            `json:"url"`
	Links                       map[string]string `json:"links,omitempty"`
}

// TaskChannel is a kind of work (default, voice, chat, sms, video, email…).
type TaskChannel struct {
	AccountSid              string            `json:"account_sid"`
	WorkspaceSid            string            `json:"workspace_sid"`
	Sid                     string            `json:"sid"`
	FriendlyName            string            `json:"friendly_name"`
	UniqueName              string            `json:"unique_name"`
	ChannelOptimizedRouting bool              `json:"channel_optimized_routing"`
	DateCreated             string            `json:"date_created"`
	DateUpdated             string            `json:"date_updated"`
	URL                     string            `json:"url"`
	Links                   map[string]string `json:"links"`
}

// TaskQueue selects workers with TargetWorkers (an expression over worker
// attributes).
type TaskQueue struct {
	AccountSid              string            `json:"account_sid"`
	WorkspaceSid            string            `json:"workspace_sid"`
	Sid                     string            `json:"sid"`
	FriendlyName            string            `json:"friendly_name"`
	TargetWorkers           string            `json:"target_workers"`
	TaskOrder               string            `json:"task_order"`
	MaxReservedWorkers      int               `json:"max_reserved_workers"`
	ReservationActivitySid  *string           `json:"reservation_activity_sid"`
	ReservationActivityName *string           `json:"reservation_activity_name"`
	AssignmentActivitySid   *string           `json:"assignment_activity_sid"`
	AssignmentActivityName  *string           `json:"assignment_activity_name"`
	DateCreated             string            `json:"date_created"`
	DateUpdated             string            `json:"date_updated"`
	URL                     string            `json:"url"`
	Links                   map[string]string `json:"links"`
}

// Workflow routes tasks; Configuration is the JSON document with task_routing.
type Workflow struct {
	AccountSid                    string            `json:"account_sid"`
	WorkspaceSid                  string            `json:"workspace_sid"`
	Sid                           string            `json:"sid"`
	FriendlyName                  string            `json:"friendly_name"`
	Configuration                 string            `json:"configuration"`
	DocumentContentType           string            `json:"document_content_type"`
	TaskReservationTimeout        int               `json:"task_reservation_timeout"`
	AssignmentCallbackURL         *string           `json:"assignment_callback_url"`
	FallbackAssignmentCallbackURL *string           `json:"fallback_assignment_callback_url"`
	DateCreated                   string            `json:"date_created"`
	DateUpdated                   string            `json:"date_updated"`
	URL                           string            `json:"url"`
	Links                         map[string]string `json:"links"`
}

// Task is one item of work. ETag is its revision as the ETag header shows it.
type Task struct {
	AccountSid            string            `json:"account_sid"`
	WorkspaceSid          string            `json:"workspace_sid"`
	Sid                   string            `json:"sid"`
	Age                   int               `json:"age"`
	AssignmentStatus      string            `json:"assignment_status"`
	Attributes            string            `json:"attributes"`
	Addons                string            `json:"addons"`
	Priority              int               `json:"priority"`
	Reason                *string           `json:"reason"`
	Timeout               int               `json:"timeout"`
	TaskQueueSid          *string           `json:"task_queue_sid"`
	TaskQueueFriendlyName *string           `json:"task_queue_friendly_name"`
	TaskQueueEnteredDate  *string           `json:"task_queue_entered_date"`
	TaskChannelSid        string            `json:"task_channel_sid"`
	TaskChannelUniqueName string            `json:"task_channel_unique_name"`
	WorkflowSid           *string           `json:"workflow_sid"`
	WorkflowFriendlyName  *string           `json:"workflow_friendly_name"`
	RoutingTarget         *string           `json:"routing_target"`
	IgnoreCapacity        *bool             `json:"ignore_capacity"`
	VirtualStartTime      string            `json:"virtual_start_time"`
	DateCreated           string            `json:"date_created"`
	DateUpdated           string            `json:"date_updated"`
	URL                   string            `json:"url"`
	Links                 map[string]string `json:"links"`
	ETag                  string            `json:"-"`
}

// Reservation is an offer of a task to a worker. URL is the task-scoped URL in
// the task's Reservations list and the worker-scoped one everywhere else.
type Reservation struct {
	AccountSid        string            `json:"account_sid"`
	WorkspaceSid      string            `json:"workspace_sid"`
	Sid               string            `json:"sid"`
	TaskSid           string            `json:"task_sid"`
	WorkerSid         string            `json:"worker_sid"`
	WorkerName        string            `json:"worker_name"`
	ReservationStatus string            `json:"reservation_status"`
	DateCreated       string            `json:"date_created"`
	DateUpdated       string            `json:"date_updated"`
	URL               string            `json:"url"`
	Links             map[string]string `json:"links"`
}

// Task assignment statuses.
const (
	StatusPending   = "pending"
	StatusReserved  = "reserved"
	StatusAssigned  = "assigned"
	StatusCanceled  = "canceled"
	StatusWrapping  = "wrapping"
	StatusCompleted = "completed"
)

// Reservation statuses.
const (
	ResPending   = "pending"
	ResAccepted  = "accepted"
	ResRejected  = "rejected"
	ResTimeout   = "timeout"
	ResCanceled  = "canceled"
	ResRescinded = "rescinded"
	ResWrapping  = "wrapping"
	ResCompleted = "completed"
)

// Parameters of the Go API; field names follow the REST parameters.

// WorkspaceParams creates a workspace. It starts as a Flex workspace does:
// activities Offline (default and timeout activity), Available, Unavailable
// and Break (plain TaskRouter has no Break), and task channels default,
// voice, chat, sms, video and email. Template "FIFO" adds a sample queue and
// workflow.
type WorkspaceParams struct {
	FriendlyName         string
	EventCallbackURL     string
	EventsFilter         string
	MultiTaskEnabled     *bool
	Template             string
	PrioritizeQueueOrder string
}

// WorkspaceUpdate changes a workspace; nil fields are left alone.
type WorkspaceUpdate struct {
	FriendlyName       *string
	DefaultActivitySid *string
	TimeoutActivitySid *string
	MultiTaskEnabled   *bool
	EventCallbackURL   *string
	EventsFilter       *string
}

// ActivityParams creates an activity.
type ActivityParams struct {
	FriendlyName string
	Available    bool
}

// WorkerParams creates a worker; ActivitySid defaults to the workspace's
// default activity and Attributes to "{}".
type WorkerParams struct {
	FriendlyName string
	ActivitySid  string
	Attributes   string
}

// WorkerUpdate changes a worker; nil fields are left alone.
type WorkerUpdate struct {
	FriendlyName              *string
	ActivitySid               *string
	Attributes                *string
	RejectPendingReservations bool
	// IfMatch, when set, must equal the worker's current ETag.
	IfMatch string
}

// WorkerChannelUpdate changes a worker's capacity or availability on a channel.
type WorkerChannelUpdate struct {
	Capacity  *int
	Available *bool
}

// TaskChannelParams creates a task channel.
type TaskChannelParams struct {
	FriendlyName            string
	UniqueName              string
	ChannelOptimizedRouting *bool
}

// TaskQueueParams creates a task queue; TargetWorkers defaults to "1==1".
type TaskQueueParams struct {
	FriendlyName           string
	TargetWorkers          string
	ReservationActivitySid string
	AssignmentActivitySid  string
	MaxReservedWorkers     int
	TaskOrder              string
}

// TaskQueueUpdate changes a queue; nil fields are left alone.
type TaskQueueUpdate struct {
	FriendlyName           *string
	TargetWorkers          *string
	ReservationActivitySid *string
	AssignmentActivitySid  *string
	MaxReservedWorkers     *int
	TaskOrder              *string
}

// WorkflowParams creates a workflow. TaskReservationTimeout 0 means
// Config.ReservationTimeout.
type WorkflowParams struct {
	FriendlyName                  string
	Configuration                 string
	AssignmentCallbackURL         string
	FallbackAssignmentCallbackURL string
	TaskReservationTimeout        int
}

// WorkflowUpdate changes a workflow; nil fields are left alone.
type WorkflowUpdate struct {
	FriendlyName                  *string
	Configuration                 *string
	AssignmentCallbackURL         *string
	FallbackAssignmentCallbackURL *string
	TaskReservationTimeout        *int
	ReEvaluateTasks               bool
}

// TaskParams creates a task. WorkflowSid may be empty when the workspace has
// exactly one workflow. RoutingTarget is a worker SID (the task is offered to
// that worker only, as Flex's workerClient.createTask does), a queue SID or a
// workflow SID. IgnoreCapacity defaults to true for a worker RoutingTarget.
// Timeout is in seconds (default 86400).
type TaskParams struct {
	Attributes     string
	WorkflowSid    string
	TaskChannel    string
	TaskQueueSid   string
	RoutingTarget  string
	IgnoreCapacity *bool
	Timeout        int
	Priority       *int
}

// TaskUpdate changes a task; nil fields are left alone. A non-empty IfMatch
// must equal the task's current ETag.
type TaskUpdate struct {
	Attributes       *string
	AssignmentStatus *string
	Reason           *string
	Priority         *int
	IfMatch          string
}

// TaskFilter filters a task list (REST list parameters).
type TaskFilter struct {
	AssignmentStatus       []string
	WorkflowSid            string
	WorkflowName           string
	TaskQueueSid           string
	TaskQueueName          string
	EvaluateTaskAttributes string
	RoutingTarget          string
	Ordering               string
}

// ReservationUpdate changes a reservation: either ReservationStatus
// (accepted, rejected, wrapping, completed) or an Instruction (call,
// conference, dequeue, redirect, accept, reject).
type ReservationUpdate struct {
	ReservationStatus     string
	Instruction           string
	WorkerActivitySid     string
	CallFrom              string
	CallTo                string
	CallURL               string
	CallStatusCallbackURL string
	CallAccept            bool
	CallTimeout           int
	// Params keeps every other instruction parameter as sent (conference…).
	Params map[string][]string
	// IfMatch, when set, must equal the task's current ETag.
	IfMatch string
}

// Event is what a worker's SDK receives. Task and Reservation are the REST
// views at the moment of the event; Worker is set for worker.activity.update
// and worker.attributes.update.
type Event struct {
	EventType    string
	WorkspaceSid string
	WorkerSid    string
	Reservation  *Reservation
	Task         *Task
	Worker       *Worker
	Date         time.Time
}

// Event types delivered to subscribers.
const (
	EventReservationCreated   = "reservation.created"
	EventReservationAccepted  = "reservation.accepted"
	EventReservationRejected  = "reservation.rejected"
	EventReservationTimeout   = "reservation.timeout"
	EventReservationCanceled  = "reservation.canceled"
	EventReservationRescinded = "reservation.rescinded"
	EventReservationWrapup    = "reservation.wrapup"
	EventReservationCompleted = "reservation.completed"
	EventTaskUpdated          = "task.updated"
	EventWorkerActivityUpdate = "worker.activity.update"
	// EventWorkerAttributesUpdate: the worker's attributes were written (the
	// SDK Worker's attributesUpdated).
	EventWorkerAttributesUpdate = "worker.attributes.update"
)

// Snapshot is the whole state, for test invariants and the demo panel.
type Snapshot struct {
	Workspaces []WorkspaceState
}

// WorkspaceState is one workspace's resources in creation order.
type WorkspaceState struct {
	Workspace    Workspace
	Activities   []Activity
	Workers      []Worker
	TaskChannels []TaskChannel
	TaskQueues   []TaskQueue
	Workflows    []Workflow
	Tasks        []Task
	Reservations []Reservation
}

// Where things are, by file:
//
//	service.go          New, Close, Snapshot; the state and its lock
//	workspace.go        CreateWorkspace, Workspace, Workspaces, UpdateWorkspace
//	activities.go       CreateActivity, Activity, Activities, ActivityByName
//	workers.go          CreateWorker, Worker, Workers, ListWorkers, UpdateWorker,
//	                    DeleteWorker, SetWorkerActivity, WorkerByFriendlyName,
//	                    WorkerByContactURI
//	worker_channels.go  WorkerChannels, WorkerChannel, UpdateWorkerChannel
//	channels.go         CreateTaskChannel, TaskChannel, TaskChannels
//	queues.go           CreateTaskQueue, TaskQueue, TaskQueues, ListTaskQueues,
//	                    UpdateTaskQueue
//	workflows.go        CreateWorkflow, Workflow, Workflows, UpdateWorkflow; the
//	                    configuration document
//	tasks.go            CreateTask, Task, Tasks, ListTasks, UpdateTask, DeleteTask,
//	                    WrapupTask, CompleteTask
//	task_lifecycle.go   status changes, TTL, ETag, task.updated
//	routing.go          how a task walks its workflow and finds a worker
//	reservations.go     Reservation, TaskReservations, WorkerReservations,
//	                    UpdateReservation, AcceptReservation, RejectReservation;
//	                    what happens when a worker accepts, rejects or times out
//	reservation_call.go CallReservation (Instruction=call through the Dialer)
//	events.go           Subscribe
//	rest*.go            Routes and the HTTP handlers
