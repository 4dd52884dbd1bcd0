package org.funtoo.amibuilder.lambdas.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Clients of other regions (the image's copies), built on first use and kept for the Lambda instance's life like
 * the home region's client: a handler that publishes to three regions builds three clients once, not per call.
 */
public final class RegionalClients<C> implements Function<String, C> {
    private final Function<String, C> factory;
    private final Map<String, C> clients = new ConcurrentHashMap<>();

    private RegionalClients(Function<String, C> factory) {
        this.factory = factory;
    }

    public static <C> RegionalClients<C> of(Function<String, C> factory) {
        return new RegionalClients<>(factory);
    }

    @Override
    public C apply(String region) {
        return clients.computeIfAbsent(region, factory);
    }
}
