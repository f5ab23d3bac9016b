// The office says what is wrong with a field in plain words, never the server's generic request-body text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldErrors, fieldName, plainError, plainField } from "../src/staff/words.js";

test("marshmallow's field messages read as plain words", () => {
  assert.equal(plainField("Missing data for required field."), "Required.");
  assert.equal(plainField("Not a valid number."), "Enter a number.");
  assert.equal(plainField("Must be greater than or equal to 0.1 and less than or equal to 10000."),
    "Enter a number from 0.1 to 10000.");
  assert.equal(plainField("Not a valid email address."), "Enter an email address, like name@example.com.");
  assert.equal(plainField("Longer than maximum length 500."), "Use at most 500 characters.");
  assert.equal(plainField("A SKU is 1-64 letters, digits, - _ . /"), "A SKU is 1-64 letters, digits, - _ . /");
});

test("nested field errors flatten to dotted paths with readable names", () => {
  const flat = fieldErrors({ dims_cm: { h: ["Not a valid number."] }, lines: { 1: { qty: ["Field may not be null."] } } });
  assert.deepEqual(flat, { "dims_cm.h": "Enter a number.", "lines.1.qty": "Required." });
  assert.equal(fieldName("lines.1.qty"), "line 2 qty");
  assert.equal(fieldName("ship_to.postal_code"), "postal code");
});

test("an error with field reasons never shows the generic request-body message", () => {
  const error = { status: 422, message: "The request body does not match what this endpoint takes.",
    details: { fields: { note: ["Longer than maximum length 500."] } } };
  assert.equal(plainError(error), "note: Use at most 500 characters.");
  assert.equal(plainError(error, { marked: true }), "check the marked fields.");
  assert.equal(plainError({ status: 409, message: "SKU X already exists." }), "SKU X already exists.");
  assert.equal(plainError({ status: 0, message: "No network." }), "the server could not be reached; try again.");
});
