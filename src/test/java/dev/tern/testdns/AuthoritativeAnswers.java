package dev.tern.testdns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answers of an authoritative server for some {@link SignedZone}s (RFC 1034 §4.3.2, RFC 4035 §3.1): records
 * with their RRSIGs when the query has the DO bit, a CNAME without chasing it, and NODATA and NXDOMAIN with the
 * SOA and the NSEC records that prove them. Names outside every zone are REFUSED, as an authoritative-only
 * server answers; there are no delegations.
 */
final class AuthoritativeAnswers {

    /** The EDNS payload size this server offers (the DNS flag day 2020 value). */
    private static final int PAYLOAD = 1232;

    private final List<SignedZone> zones;

    AuthoritativeAnswers(List<SignedZone> zones) {
        this.zones = List.copyOf(zones);
    }

    Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        OPTRecord opt = query.getOPT();
        boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (opt != null) {
            response.addRecord(new OPTRecord(PAYLOAD, 0, 0, dnssec ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        SignedZone zone = zoneOf(question.getName());
        if (zone == null) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        new Reply(zone, response, dnssec && zone.isSigned()).fill(question.getName(), question.getType());
        return response;
    }

    /** The zone with the longest origin that holds the name. */
    private SignedZone zoneOf(Name name) {
        SignedZone best = null;
        for (SignedZone zone : zones) {
            if (name.subdomain(zone.originName())
                    && (best == null || zone.originName().labels() > best.originName().labels())) {
                best = zone;
            }
        }
        return best;
    }

    /** One response being filled. */
    private record Reply(SignedZone zone, Message response, boolean dnssec) {

        void fill(Name name, int type) {
            List<Record> found = zone.records(name, type);
            if (!found.isEmpty()) {
                addSet(found, Section.ANSWER);
                return;
            }
            List<Record> alias = zone.records(name, Type.CNAME);
            if (!alias.isEmpty()) {
                addSet(alias, Section.ANSWER); // the resolver follows it with a query of its own
                return;
            }
            if (zone.isOwner(name)) {
                noData(zone.nsec(name));
            } else if (zone.exists(name)) {
                noData(zone.covering(name)); // an empty non-terminal: the NSEC before it names a descendant next
            } else {
                nxDomain(name);
            }
        }

        /** NOERROR, no answer, the SOA, and the NSEC proof (null in an unsigned zone). */
        private void noData(NSECRecord proof) {
            addSoa();
            addProofs(proof == null ? List.of() : List.of(proof));
        }

        /** RFC 4035 §3.1.3.2: an NSEC covering the name and one covering the wildcard at its closest encloser. */
        private void nxDomain(Name name) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            addSoa();
            Name encloser = name;
            while (!zone.exists(encloser)) {
                encloser = new Name(encloser, 1);
            }
            List<NSECRecord> proofs = new ArrayList<>();
            proofs.add(zone.covering(name));
            NSECRecord wildcard = zone.covering(Name.fromConstantString("*." + encloser));
            if (!proofs.contains(wildcard)) {
                proofs.add(wildcard);
            }
            addProofs(proofs);
        }

        private void addSoa() {
            addSet(zone.records(zone.originName(), Type.SOA), Section.AUTHORITY);
        }

        private void addProofs(List<NSECRecord> proofs) {
            if (!dnssec) {
                return;
            }
            for (NSECRecord nsec : proofs) {
                if (nsec != null) {
                    addSet(List.of(nsec), Section.AUTHORITY);
                }
            }
        }

        private void addSet(List<Record> set, int section) {
            set.forEach(r -> response.addRecord(r, section));
            if (dnssec) {
                RRSIGRecord sig = zone.signature(set.get(0).getName(), set.get(0).getType());
                if (sig != null) {
                    response.addRecord(sig, section);
                }
            }
        }
    }
}
