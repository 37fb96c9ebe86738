package dev.tern.milter;

/**
 * The protocol's codes, as libmilter's {@code mfdef.h} defines them. A packet is a 4-octet big-endian length,
 * then a command (or reply) octet, then {@code length - 1} octets of data; strings are NUL-terminated.
 */
final class MilterProtocol {

    /** The version Postfix 2.6+ and libmilter 8.14+ speak. */
    static final int VERSION = 6;

    // Commands, MTA to milter (SMFIC_*).
    static final char ABORT = 'A';
    static final char BODY = 'B';
    static final char CONNECT = 'C';
    static final char MACRO = 'D';
    static final char BODYEOB = 'E';
    static final char HELO = 'H';
    static final char HEADER = 'L';
    static final char MAIL = 'M';
    static final char EOH = 'N';
    static final char OPTNEG = 'O';
    static final char QUIT = 'Q';
    static final char RCPT = 'R';
    static final char DATA = 'T';

    // Replies, milter to MTA (SMFIR_*).
    static final char ADDRCPT = '+';
    static final char DELRCPT = '-';
    static final char ADDRCPT_PAR = '2';
    static final char SHUTDOWN = '4';
    static final char ACCEPT = 'a';
    static final char REPLBODY = 'b';
    static final char CONTINUE = 'c';
    static final char DISCARD = 'd';
    static final char CHGFROM = 'e';
    static final char CONNFAIL = 'f';
    static final char ADDHEADER = 'h';
    static final char INSHEADER = 'i';
    static final char SETSYMLIST = 'l';
    static final char CHGHEADER = 'm';
    static final char PROGRESS = 'p';
    static final char QUARANTINE = 'q';
    static final char REJECT = 'r';
    static final char SKIP = 's';
    static final char TEMPFAIL = 't';
    static final char REPLYCODE = 'y';

    // Actions the MTA allows (SMFIF_*): everything this client can apply.
    static final int ADDHDRS = 0x01;
    static final int CHGBODY = 0x02;
    static final int ADDRCPT_ACTION = 0x04;
    static final int DELRCPT_ACTION = 0x08;
    static final int CHGHDRS = 0x10;
    static final int QUARANTINE_ACTION = 0x20;
    static final int CHGFROM_ACTION = 0x40;
    static final int ADDRCPT_PAR_ACTION = 0x80;
    static final int SETSYMLIST_ACTION = 0x100;
    static final int ACTIONS = ADDHDRS | CHGBODY | ADDRCPT_ACTION | DELRCPT_ACTION | CHGHDRS | QUARANTINE_ACTION
            | CHGFROM_ACTION | ADDRCPT_PAR_ACTION | SETSYMLIST_ACTION;

    // Protocol flags (SMFIP_*): the steps a milter may ask not to see, or not to answer.
    static final int NOCONNECT = 0x01;
    static final int NOHELO = 0x02;
    static final int NOMAIL = 0x04;
    static final int NORCPT = 0x08;
    static final int NOBODY = 0x10;
    static final int NOHDRS = 0x20;
    static final int NOEOH = 0x40;
    static final int NR_HDR = 0x80;
    static final int NOUNKNOWN = 0x100;
    static final int NODATA = 0x200;
    static final int SKIP_FLAG = 0x400;
    static final int RCPT_REJ = 0x800;
    static final int NR_CONN = 0x1000;
    static final int NR_HELO = 0x2000;
    static final int NR_MAIL = 0x4000;
    static final int NR_RCPT = 0x8000;
    static final int NR_DATA = 0x10000;
    static final int NR_UNKN = 0x20000;
    static final int NR_EOH = 0x40000;
    static final int NR_BODY = 0x80000;
    static final int HDR_LEADSPC = 0x100000;
    /**
     * What this client offers: every "no" and "no reply" step, SMFIR_SKIP and leading header space; not
     * RCPT_REJ (we do not send refused recipients), nor the larger body chunk sizes.
     */
    static final int PROTOCOL = NOCONNECT | NOHELO | NOMAIL | NORCPT | NOBODY | NOHDRS | NOEOH | NR_HDR | NOUNKNOWN
            | NODATA | SKIP_FLAG | NR_CONN | NR_HELO | NR_MAIL | NR_RCPT | NR_DATA | NR_UNKN | NR_EOH | NR_BODY
            | HDR_LEADSPC;

    /** Body chunks as libmilter's {@code MILTER_CHUNK_SIZE}: every milter accepts this size. */
    static final int CHUNK = 65535;
    /** The largest packet we accept from a milter (libmilter's 1 MiB chunks plus room); longer is garbage. */
    static final int MAX_PACKET = 2 * 1024 * 1024;

    // Macro stages of SMFIR_SETSYMLIST / the v6 negotiation (SMFIM_*).
    static final int STAGE_CONNECT = 0;
    static final int STAGE_HELO = 1;
    static final int STAGE_MAIL = 2;
    static final int STAGE_RCPT = 3;
    static final int STAGE_DATA = 4;
    static final int STAGE_EOM = 5;
    static final int STAGE_EOH = 6;

    private MilterProtocol() {
    }
}
