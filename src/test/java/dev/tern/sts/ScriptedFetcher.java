package dev.tern.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The fake of the {@link PolicyFetcher} seam: answers what the test set per domain, and counts the fetches. */
final class ScriptedFetcher implements PolicyFetcher {

    private final Map<String, Fetch> answers = new ConcurrentHashMap<>();
    private final List<String> fetched = new ArrayList<>();

    ScriptedFetcher serve(String domain, String text) {
        answers.put(domain, new Body(text));
        return this;
    }

    ScriptedFetcher fail(String domain, String resultType) {
        answers.put(domain, new Failure(resultType, "scripted " + resultType));
        return this;
    }

    /** The domains fetched so far, in order. */
    synchronized List<String> fetched() {
        return List.copyOf(fetched);
    }

    @Override
    public synchronized Fetch fetch(String domain) {
        fetched.add(domain);
        return answers.getOrDefault(domain, new Failure(FETCH_ERROR, "nothing scripted for " + domain));
    }
}
