/** Socket-free SMTP: command parsing, replies with enhanced status codes, line, DATA and BDAT readers, dot-stuffing and the limits they enforce. */
package dev.tern.smtp.protocol;
