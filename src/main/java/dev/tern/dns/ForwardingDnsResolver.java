package dev.tern.dns;

import java.net.InetAddress;

/** A resolver that hands every lookup to another; subclasses override the lookups they change. */
public abstract class ForwardingDnsResolver implements DnsResolver {

    protected final DnsResolver delegate;

    protected ForwardingDnsResolver(DnsResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public DnsResult<MxRecord> mx(String name) {
        return delegate.mx(name);
    }

    @Override
    public DnsResult<InetAddress> a(String name) {
        return delegate.a(name);
    }

    @Override
    public DnsResult<InetAddress> aaaa(String name) {
        return delegate.aaaa(name);
    }

    @Override
    public DnsResult<String> txt(String name) {
        return delegate.txt(name);
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return delegate.tlsa(name);
    }

    @Override
    public DnsResult<String> ptr(String name) {
        return delegate.ptr(name);
    }
}
