package dev.mkplat.traffic.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated user: a name and password unique to the run, and what its setup captured (a token,
 * an item id). Its variables are written during setup only and read by many requests afterwards.
 */
public final class VirtualUser {
    private final Map<String, String> variables = new ConcurrentHashMap<>();

    public VirtualUser(String name, String password) {
        variables.put("user", name);
        variables.put("password", password);
    }

    public String name() {
        return variables.get("user");
    }

    String variable(String name) {
        return variables.get(name);
    }

    void set(String name, String value) {
        variables.put(name, value);
    }
}
