//go:build js && wasm

package main

import "github.com/flex-internal-call/internal-call/wasm/i18n"

// The strings the bridge shows in Flex (task display, notifications), per
// language; i18n.Match picks the language from the agent's Flex locale, as it
// does in the dialpad, and English fills any gap. The dialpad's own strings
// are in wasm/i18n/dialpadtext, which the bridge does not import (they would
// weigh on bridge.wasm).

const (
	sLabel         = "label"
	sStatusPrefix  = "status."
	sFailedWhy     = "status.failed.reason"
	sHeldBy        = "status.held_by"
	sPeerVia       = "peer.via"
	sErrConfig     = "err.config"
	sErrDisabled   = "err.disabled"
	sErrBusy       = "err.busy"
	sErrOnCall     = "err.on_call"
	sMissed        = "missed"
	sErrDismiss    = "err.dismiss_missed"
	sErrSelf       = "err.self"
	sErrNoContact  = "err.no_contact_uri"
	sErrNoTarget   = "err.no_target"
	sErrPlace      = "err.place"
	sErrAccept     = "err.accept"
	sErrReject     = "err.reject"
	sErrHold       = "err.hold"
	sErrUnhold     = "err.unhold"
	sErrHangup     = "err.hangup"
	sErrServerDown = "err.server_down"
	sErrSession    = "err.session"
	sErrQueues     = "err.queues"
	sErrCallFailed = "err.call_failed"
	sParticipants  = "participants"
	sUsePanel      = "use_panel"
	sErrTransfer   = "err.transfer"
)

var bridgeStrings = i18n.Catalogue{
	i18n.EnUS: {
		sParticipants:    "Internal call participants",
		sUsePanel:        "To remove someone from an internal call, use the participants panel under the call.",
		sErrTransfer:     "The call could not be transferred: {error}",
		sLabel:           "Internal call",
		"status.placing": "Placing call…", "status.initiated": "Connecting…", "status.ringing": "Ringing…",
		"status.connected": "Connected", "status.ended": "Call ended", "status.declined": "Declined",
		"status.no-answer": "No answer", "status.canceled": "Canceled", "status.failed": "Failed",
		sFailedWhy:     "Failed: {reason}",
		"status.held":  "On hold",
		sHeldBy:        "On hold — by {name}",
		sPeerVia:       "{name} via {queue}",
		sErrConfig:     "Internal calls are not set up. Ask your Flex administrator to configure outbound_call_flows.default (enabled, workflow_sid, queue_sid, caller_id) in the Flex configuration.",
		sErrDisabled:   "This kind of internal call is turned off. Ask your Flex administrator (ui_attributes.custom_data.features.internal_call).",
		sErrBusy:       "A call is already being placed.",
		sErrOnCall:     "You are on a call with {name}: end it to place another.",
		sMissed:        "Missed call from {name}",
		sErrDismiss:    "The missed call could not be removed: {error}",
		sErrSelf:       "You cannot call yourself.",
		sErrNoContact:  "Your worker has no contact_uri attribute. Ask your Flex administrator.",
		sErrNoTarget:   "Choose an agent or a queue to call.",
		sErrPlace:      "The call could not be placed: {error}",
		sErrAccept:     "The internal call could not be connected: {error}",
		sErrReject:     "The internal call could not be declined: {error}",
		sErrHold:       "The other party could not be put on hold: {error}",
		sErrUnhold:     "The other party could not be taken off hold: {error}",
		sErrHangup:     "The internal call could not be hung up: {error}",
		sErrServerDown: "the internal call server cannot be reached",
		sErrSession:    "your Flex session has expired; reload Flex and try again",
		sErrQueues:     "The queues could not be loaded: {error}",
		sErrCallFailed: "The call to {name} failed: {reason}",
	},
	i18n.EsMX: {
		sParticipants:    "Participantes de la llamada interna",
		sUsePanel:        "Para quitar a alguien de una llamada interna, usa el panel de participantes debajo de la llamada.",
		sErrTransfer:     "No se pudo transferir la llamada: {error}",
		sLabel:           "Llamada interna",
		"status.placing": "Realizando llamada…", "status.initiated": "Conectando…", "status.ringing": "Timbrando…",
		"status.connected": "Conectada", "status.ended": "Llamada finalizada", "status.declined": "Rechazada",
		"status.no-answer": "Sin respuesta", "status.canceled": "Cancelada", "status.failed": "Falló",
		sFailedWhy:     "Falló: {reason}",
		"status.held":  "En espera",
		sHeldBy:        "En espera — por {name}",
		sPeerVia:       "{name} vía {queue}",
		sErrConfig:     "Las llamadas internas no están configuradas. Pide a tu administrador de Flex que configure outbound_call_flows.default (enabled, workflow_sid, queue_sid, caller_id) en la configuración de Flex.",
		sErrDisabled:   "Este tipo de llamada interna está desactivado. Consulta a tu administrador de Flex (ui_attributes.custom_data.features.internal_call).",
		sErrBusy:       "Ya se está realizando una llamada.",
		sErrOnCall:     "Estás en una llamada con {name}: termínala para hacer otra.",
		sMissed:        "Llamada perdida de {name}",
		sErrDismiss:    "No se pudo quitar la llamada perdida: {error}",
		sErrSelf:       "No puedes llamarte a ti mismo.",
		sErrNoContact:  "Tu trabajador no tiene el atributo contact_uri. Consulta a tu administrador de Flex.",
		sErrNoTarget:   "Elige un agente o una fila para llamar.",
		sErrPlace:      "No se pudo realizar la llamada: {error}",
		sErrAccept:     "No se pudo conectar la llamada interna: {error}",
		sErrReject:     "No se pudo rechazar la llamada interna: {error}",
		sErrHold:       "No se pudo poner en espera a la otra parte: {error}",
		sErrUnhold:     "No se pudo quitar de espera a la otra parte: {error}",
		sErrHangup:     "No se pudo colgar la llamada interna: {error}",
		sErrServerDown: "no se puede contactar al servidor de llamadas internas",
		sErrSession:    "tu sesión de Flex expiró; recarga Flex e inténtalo de nuevo",
		sErrQueues:     "No se pudieron cargar las filas: {error}",
		sErrCallFailed: "La llamada a {name} falló: {reason}",
	},
	i18n.EsES: {
		sParticipants:    "Participantes de la llamada interna",
		sUsePanel:        "Para quitar a alguien de una llamada interna, usa el panel de participantes que hay debajo de la llamada.",
		sErrTransfer:     "No se ha podido transferir la llamada: {error}",
		sLabel:           "Llamada interna",
		"status.placing": "Realizando la llamada…", "status.initiated": "Conectando…", "status.ringing": "Sonando…",
		"status.connected": "Conectada", "status.ended": "Llamada finalizada", "status.declined": "Rechazada",
		"status.no-answer": "Sin respuesta", "status.canceled": "Cancelada", "status.failed": "Error",
		sFailedWhy:     "Error: {reason}",
		"status.held":  "En espera",
		sHeldBy:        "En espera — por {name}",
		sPeerVia:       "{name} vía {queue}",
		sErrConfig:     "Las llamadas internas no están configuradas. Pide a tu administrador de Flex que configure outbound_call_flows.default (enabled, workflow_sid, queue_sid, caller_id) en la configuración de Flex.",
		sErrDisabled:   "Este tipo de llamada interna está desactivado. Consulta a tu administrador de Flex (ui_attributes.custom_data.features.internal_call).",
		sErrBusy:       "Ya se está realizando una llamada.",
		sErrOnCall:     "Estás en una llamada con {name}: termínala para hacer otra.",
		sMissed:        "Llamada perdida de {name}",
		sErrDismiss:    "No se ha podido quitar la llamada perdida: {error}",
		sErrSelf:       "No puedes llamarte a ti mismo.",
		sErrNoContact:  "Tu trabajador no tiene el atributo contact_uri. Consulta a tu administrador de Flex.",
		sErrNoTarget:   "Elige un agente o una cola a la que llamar.",
		sErrPlace:      "No se ha podido realizar la llamada: {error}",
		sErrAccept:     "No se ha podido conectar la llamada interna: {error}",
		sErrReject:     "No se ha podido rechazar la llamada interna: {error}",
		sErrHold:       "No se ha podido poner en espera a la otra parte: {error}",
		sErrUnhold:     "No se ha podido quitar de la espera a la otra parte: {error}",
		sErrHangup:     "No se ha podido colgar la llamada interna: {error}",
		sErrServerDown: "no se puede contactar con el servidor de llamadas internas",
		sErrSession:    "tu sesión de Flex ha caducado; recarga Flex y vuelve a intentarlo",
		sErrQueues:     "No se han podido cargar las colas: {error}",
		sErrCallFailed: "La llamada a {name} ha fallado: {reason}",
	},
	i18n.PtBR: {
		sParticipants:    "Participantes da chamada interna",
		sUsePanel:        "Para remover alguém de uma chamada interna, use o painel de participantes abaixo da chamada.",
		sErrTransfer:     "Não foi possível transferir a chamada: {error}",
		sLabel:           "Chamada interna",
		"status.placing": "Fazendo a chamada…", "status.initiated": "Conectando…", "status.ringing": "Chamando…",
		"status.connected": "Conectada", "status.ended": "Chamada encerrada", "status.declined": "Recusada",
		"status.no-answer": "Sem resposta", "status.canceled": "Cancelada", "status.failed": "Falhou",
		sFailedWhy:     "Falhou: {reason}",
		"status.held":  "Em espera",
		sHeldBy:        "Em espera — por {name}",
		sPeerVia:       "{name} via {queue}",
		sErrConfig:     "As chamadas internas não estão configuradas. Peça ao administrador do Flex para configurar outbound_call_flows.default (enabled, workflow_sid, queue_sid, caller_id) na configuração do Flex.",
		sErrDisabled:   "Este tipo de chamada interna está desativado. Fale com o administrador do Flex (ui_attributes.custom_data.features.internal_call).",
		sErrBusy:       "Uma chamada já está sendo feita.",
		sErrOnCall:     "Você está em uma chamada com {name}: encerre-a para fazer outra.",
		sMissed:        "Chamada perdida de {name}",
		sErrDismiss:    "Não foi possível remover a chamada perdida: {error}",
		sErrSelf:       "Você não pode ligar para si mesmo.",
		sErrNoContact:  "Seu worker não tem o atributo contact_uri. Fale com o administrador do Flex.",
		sErrNoTarget:   "Escolha um agente ou uma fila para ligar.",
		sErrPlace:      "Não foi possível fazer a chamada: {error}",
		sErrAccept:     "Não foi possível conectar a chamada interna: {error}",
		sErrReject:     "Não foi possível recusar a chamada interna: {error}",
		sErrHold:       "Não foi possível colocar a outra parte em espera: {error}",
		sErrUnhold:     "Não foi possível retirar a outra parte da espera: {error}",
		sErrHangup:     "Não foi possível desligar a chamada interna: {error}",
		sErrServerDown: "o servidor de chamadas internas não está acessível",
		sErrSession:    "sua sessão do Flex expirou; recarregue o Flex e tente novamente",
		sErrQueues:     "Não foi possível carregar as filas: {error}",
		sErrCallFailed: "A chamada para {name} falhou: {reason}",
	},
	i18n.Th: {
		sParticipants:    "ผู้เข้าร่วมสายภายใน",
		sUsePanel:        "หากต้องการนำใครออกจากสายภายใน ให้ใช้แผงผู้เข้าร่วมใต้สาย",
		sErrTransfer:     "ไม่สามารถโอนสายได้: {error}",
		sLabel:           "การโทรภายใน",
		"status.placing": "กำลังโทร…", "status.initiated": "กำลังเชื่อมต่อ…", "status.ringing": "กำลังส่งเสียงเรียก…",
		"status.connected": "เชื่อมต่อแล้ว", "status.ended": "วางสายแล้ว", "status.declined": "ถูกปฏิเสธ",
		"status.no-answer": "ไม่มีผู้รับสาย", "status.canceled": "ยกเลิกแล้ว", "status.failed": "ล้มเหลว",
		sFailedWhy:     "ล้มเหลว: {reason}",
		"status.held":  "พักสาย",
		sHeldBy:        "ถูกพักสาย — โดย {name}",
		sPeerVia:       "{name} ผ่าน {queue}",
		sErrConfig:     "ยังไม่ได้ตั้งค่าการโทรภายใน โปรดขอให้ผู้ดูแลระบบ Flex ตั้งค่า outbound_call_flows.default (enabled, workflow_sid, queue_sid, caller_id) ในการกำหนดค่า Flex",
		sErrDisabled:   "การโทรภายในประเภทนี้ถูกปิดอยู่ โปรดติดต่อผู้ดูแลระบบ Flex (ui_attributes.custom_data.features.internal_call)",
		sErrBusy:       "กำลังโทรออกอยู่แล้ว",
		sErrOnCall:     "คุณกำลังสนทนากับ {name} อยู่ วางสายก่อนจึงจะโทรครั้งใหม่ได้",
		sMissed:        "สายที่ไม่ได้รับจาก {name}",
		sErrDismiss:    "ไม่สามารถลบสายที่ไม่ได้รับได้: {error}",
		sErrSelf:       "คุณไม่สามารถโทรหาตัวเองได้",
		sErrNoContact:  "worker ของคุณไม่มีแอตทริบิวต์ contact_uri โปรดติดต่อผู้ดูแลระบบ Flex",
		sErrNoTarget:   "โปรดเลือกเจ้าหน้าที่หรือคิวที่จะโทรหา",
		sErrPlace:      "ไม่สามารถโทรออกได้: {error}",
		sErrAccept:     "ไม่สามารถเชื่อมต่อการโทรภายในได้: {error}",
		sErrReject:     "ไม่สามารถปฏิเสธการโทรภายในได้: {error}",
		sErrHold:       "ไม่สามารถพักสายอีกฝ่ายได้: {error}",
		sErrUnhold:     "ไม่สามารถยกเลิกการพักสายอีกฝ่ายได้: {error}",
		sErrHangup:     "ไม่สามารถวางสายการโทรภายในได้: {error}",
		sErrServerDown: "ไม่สามารถติดต่อเซิร์ฟเวอร์การโทรภายในได้",
		sErrSession:    "เซสชัน Flex ของคุณหมดอายุ โปรดโหลด Flex ใหม่แล้วลองอีกครั้ง",
		sErrQueues:     "ไม่สามารถโหลดรายการคิวได้: {error}",
		sErrCallFailed: "การโทรหา {name} ล้มเหลว: {reason}",
	},
	i18n.ZhHans: {
		sParticipants:    "内部通话参与者",
		sUsePanel:        "要将某人移出内部通话，请使用通话下方的参与者面板。",
		sErrTransfer:     "无法转接通话：{error}",
		sLabel:           "内部通话",
		"status.placing": "正在发起呼叫…", "status.initiated": "正在连接…", "status.ringing": "正在振铃…",
		"status.connected": "已接通", "status.ended": "通话已结束", "status.declined": "已拒绝",
		"status.no-answer": "无人接听", "status.canceled": "已取消", "status.failed": "失败",
		sFailedWhy:     "失败：{reason}",
		"status.held":  "保持中",
		sHeldBy:        "被 {name} 保持",
		sPeerVia:       "{name}（经由 {queue}）",
		sErrConfig:     "内部通话尚未设置。请让 Flex 管理员在 Flex 配置中设置 outbound_call_flows.default（enabled、workflow_sid、queue_sid、caller_id）。",
		sErrDisabled:   "此类内部通话已关闭。请联系 Flex 管理员（ui_attributes.custom_data.features.internal_call）。",
		sErrBusy:       "已有一个呼叫正在发起。",
		sErrOnCall:     "您正在与 {name} 通话：请先结束当前通话再拨打。",
		sMissed:        "{name} 的未接来电",
		sErrDismiss:    "无法移除未接来电：{error}",
		sErrSelf:       "不能呼叫自己。",
		sErrNoContact:  "您的 worker 没有 contact_uri 属性。请联系 Flex 管理员。",
		sErrNoTarget:   "请选择要呼叫的坐席或队列。",
		sErrPlace:      "无法发起呼叫：{error}",
		sErrAccept:     "无法接通内部通话：{error}",
		sErrReject:     "无法拒绝内部通话：{error}",
		sErrHold:       "无法将对方设为保持：{error}",
		sErrUnhold:     "无法取消对方的保持：{error}",
		sErrHangup:     "无法挂断内部通话：{error}",
		sErrServerDown: "无法连接内部通话服务器",
		sErrSession:    "您的 Flex 会话已过期；请重新加载 Flex 后重试",
		sErrQueues:     "无法加载队列：{error}",
		sErrCallFailed: "呼叫 {name} 失败：{reason}",
	},
}

// text is the string for key in the bridge's language (English fallback) with
// each {name} placeholder replaced; args alternate name, value.
func (b *bridge) text(key string, args ...string) string {
	return bridgeStrings.F(b.lang, key, args...)
}
