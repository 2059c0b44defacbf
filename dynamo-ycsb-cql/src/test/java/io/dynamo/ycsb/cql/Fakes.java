package io.dynamo.ycsb.cql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Stand-ins for the driver's metadata interfaces (nodes, keyspaces, tables, columns), so that
 * code reading them can be tested without a cluster: a proxy answering the named methods with
 * the given values, running the interface's default methods (which derive from those), and
 * failing on any other method.
 */
final class Fakes {

    private Fakes() {
    }

    static <T> T of(Class<T> type, Map<String, Object> answers) {
        InvocationHandler handler = (proxy, method, args) -> answer(type, proxy, method, args, answers);
        return type.cast(Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object answer(Class<?> type, Object proxy, Method method, Object[] args, Map<String, Object> answers)
            throws Throwable {
        String name = method.getName();
        if (answers.containsKey(name) && (args == null || args.length == 0)) {
            return answers.get(name);
        }
        switch (name) {
            case "toString" -> {
                return "fake " + type.getSimpleName() + answers.keySet();
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            default -> {
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new UnsupportedOperationException("fake " + type.getSimpleName() + "." + name);
            }
        }
    }
}
