//! The booking endpoints in the OpenAPI document: free slots, bookings, cancelling, the `.ics` file and a
//! clinician's hours.
//!
//! Written next to the handlers' contracts (`super::bookings`) and from the same constants (look-ahead,
//! reason length, slot lengths, notice range), so the limits a fuzzer tries are the ones the server
//! enforces. Errors are described as they are: a bad field is a 400 naming it, a slot taken or an
//! appointment too late to cancel is a 409, someone else's booking is a 404.

use kneeroot_core::booking::{MAX_SLOT_MINUTES, MIN_SLOT_MINUTES};
use serde_json::{Map, Value, json};

use super::bookings::MAX_DAYS;
use crate::booking::{MAX_NOTICE_MINUTES, MAX_REASON_CHARS};

fn err(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn instant() -> Value {
    json!({"type": "string", "format": "date-time", "description": "RFC 3339; responses are in UTC (…Z)"})
}

fn booking_schema() -> Value {
    json!({"type": "object",
        "required": ["id", "clinician_id", "patient_id", "start", "end", "local", "status", "reason", "assessment_id"],
        "properties": {
            "id": {"type": "string"}, "clinician_id": {"type": "string"}, "patient_id": {"type": "string"},
            "start": instant(), "end": instant(),
            "local": {"type": ["string", "null"], "description": "The start in the clinic's time zone, e.g. \"Mon 30 Mar 2026, 09:00 (BST)\"; null in lists"},
            "status": {"enum": ["booked", "cancelled"]},
            "reason": {"type": "string"},
            "assessment_id": {"type": ["string", "null"]}}})
}

/// The weekly hours as `kneeroot_core::booking::WeeklyAvailability` reads and writes them.
fn availability_schema() -> Value {
    let clock = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";
    let end_clock = "^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$";
    json!({"type": "object", "required": ["time_zone", "windows", "slot_minutes"], "additionalProperties": false, "properties": {
        "time_zone": {"type": "string", "description": "IANA name, e.g. Europe/London"},
        "windows": {"type": "array", "items": {"type": "object", "required": ["weekday", "start", "end"], "additionalProperties": false, "properties": {
            "weekday": {"enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
            "start": {"type": "string", "pattern": clock},
            "end": {"type": "string", "pattern": end_clock, "description": "after start; 24:00 is the midnight that ends the day"}}},
            "description": "windows of one weekday may touch but not overlap"},
        "slot_minutes": {"type": "integer", "minimum": MIN_SLOT_MINUTES, "maximum": MAX_SLOT_MINUTES},
        "exceptions": {"type": "array", "items": {"type": "object", "required": ["from", "to"], "additionalProperties": false, "properties": {
            "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}, "reason": {"type": "string"}}}}}})
}

/// The booking paths, keyed as in the document (`/api/v1/…`).
pub(super) fn paths() -> Map<String, Value> {
    let bearer = json!([{"bearer": []}]);
    let id_param = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Booking id"}]);
    let booking = json!({"$ref": "#/components/schemas/Booking"});
    let notice = json!({"type": "integer", "minimum": 0, "maximum": MAX_NOTICE_MINUTES});
    let paths = json!({
        "/api/v1/slots": {"get": {
            "summary": "Every free slot (of one clinician, or of every clinician with hours)", "operationId": "listSlots", "security": bearer,
            "parameters": [
                {"name": "clinician_id", "in": "query", "required": false, "schema": {"type": "string"}},
                {"name": "from", "in": "query", "required": false, "schema": instant(), "description": "default now; whole local days from its date"},
                {"name": "days", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": 14}}],
            "responses": {
                "200": ok("Free slots by start", json!({"type": "array", "items": {"type": "object", "required": ["clinician_id", "start", "end"], "properties": {
                    "clinician_id": {"type": "string"}, "start": instant(), "end": instant()}}})),
                "400": err("A bad parameter, or a clinician with no hours; `field` names it"), "401": err("No valid token")}}},
        "/api/v1/bookings": {
            "post": {"summary": "Book a free slot", "operationId": "createBooking", "security": bearer,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                    "required": ["clinician_id", "start"], "additionalProperties": false, "properties": {
                    "clinician_id": {"type": "string"}, "start": instant(),
                    "reason": {"type": ["string", "null"], "maxLength": MAX_REASON_CHARS, "description": "no control characters other than line breaks and tabs"},
                    "assessment_id": {"type": ["string", "null"], "description": "one of my assessments"}}}}}},
                "responses": {"201": ok("Booked", booking.clone()),
                    "400": err("Not a slot, too soon, the clinic closed, or another bad field; `field` names it"),
                    "401": err("No valid token"), "409": err("Someone else has just booked that slot")}},
            "get": {"summary": "My bookings as a patient, by start", "operationId": "listBookings", "security": bearer,
                "responses": {"200": ok("Bookings", json!({"type": "array", "items": booking.clone()})), "401": err("No valid token")}}},
        "/api/v1/bookings/{id}": {
            "get": {"summary": "One booking (its patient or its clinician only)", "operationId": "getBooking", "security": bearer, "parameters": id_param,
                "responses": {"200": ok("The booking", booking.clone()), "401": err("No valid token"), "404": err("No such booking of yours")}},
            "delete": {"summary": "Cancel a booking, within the clinic's cancellation notice", "operationId": "cancelBooking", "security": bearer, "parameters": id_param,
                "responses": {"200": ok("Cancelled", booking.clone()), "401": err("No valid token"), "404": err("No such booking of yours"),
                    "409": err("Already cancelled, started, or too late to cancel online")}}},
        "/api/v1/bookings/{id}/ics": {"get": {"summary": "The booking as an iCalendar file", "operationId": "getBookingCalendar", "security": bearer, "parameters": id_param,
            "responses": {"200": {"description": "An iCalendar (RFC 5545) file", "content": {"text/calendar": {"schema": {"type": "string"}}}},
                "401": err("No valid token"), "404": err("No such booking of yours")}}},
        "/api/v1/availability": {"put": {"summary": "Set my hours, slot length, days off and notice rules (clinicians)", "operationId": "setAvailability", "security": bearer,
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["availability"], "additionalProperties": false, "properties": {
                "availability": availability_schema(),
                "notice_minutes": {"type": "integer", "minimum": 0, "maximum": MAX_NOTICE_MINUTES, "default": 120},
                "cancel_notice_minutes": {"type": "integer", "minimum": 0, "maximum": MAX_NOTICE_MINUTES, "default": 1440}}}}}},
            "responses": {"200": ok("Saved", json!({"type": "object", "required": ["clinician_id", "availability", "notice_minutes", "cancel_notice_minutes"], "properties": {
                    "clinician_id": {"type": "string"}, "availability": availability_schema(), "notice_minutes": notice, "cancel_notice_minutes": notice}})),
                "400": err("An invalid field (`availability.windows[2].end`, `notice_minutes` …); `field` names it"),
                "401": err("No valid token"), "403": err("Only clinicians set hours")}}}
    });
    match paths {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The schemas the paths refer to.
pub(super) fn schemas() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("Booking".into(), booking_schema());
    map
}
