/**
 * Filtering rules like Postfix access maps: the operator's {@code [[rule]]} list, evaluated in file order at
 * each SMTP stage, giving accept, reject, defer or hold with the reply and the rule's name. Relay control is
 * not here and is never bypassed by a rule.
 */
package dev.tern.policy.rules;
