/**
 * Replacing kernels of one tfjs backend in the global kernel registry and putting the stock ones back.
 * `tf.registerKernel` over an existing name only warns and overwrites, so each swap unregisters first and keeps
 * the stock config (the same object is re-registered on restore, so its `setupFunc` state stays valid). A
 * replacement without a `setupFunc` inherits the stock one: a backend initialised while it is registered still
 * sets up the stock kernel, which replacements fall back to and `restore` puts back.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * A set of replacement kernels on one backend, swapped in and out as a group.
 *
 * @example
 * ```ts
 * const swap = new KernelSwap("wasm");
 * swap.install({ Sum: (stock) => mySumConfig(stock) });
 * // ...
 * swap.restore();
 * ```
 */
export class KernelSwap {
  #stock = new Map<string, tf.KernelConfig | undefined>();

  constructor(readonly backendName: string) {}

  /** Names currently replaced. */
  get names(): string[] {
    return [...this.#stock.keys()];
  }

  /** The stock config kept for `name` (undefined if there was none or it is not swapped). */
  stockOf(name: string): tf.KernelConfig | undefined {
    return this.#stock.get(name);
  }

  /**
   * Registers `make(stock)` for each kernel name, where `stock` is the config registered before (or undefined).
   * Names already swapped by this object are re-made from their kept stock config.
   */
  install(makers: Record<string, (stock: tf.KernelConfig | undefined) => tf.KernelConfig>): void {
    for (const [name, make] of Object.entries(makers)) {
      const stock = this.#stock.has(name) ? this.#stock.get(name) : tf.getKernel(name, this.backendName);
      const made = make(stock);
      const config = made.setupFunc || !stock?.setupFunc ? made : { ...made, setupFunc: stock.setupFunc };
      if (config.kernelName !== name || config.backendName !== this.backendName) {
        throw new Error(`KernelSwap: maker for ${name} returned ${config.kernelName}/${config.backendName}`);
      }
      if (tf.getKernel(name, this.backendName)) tf.unregisterKernel(name, this.backendName);
      tf.registerKernel(config);
      this.#stock.set(name, stock);
    }
  }

  /** Puts every stock config back (removing kernels that had none) and forgets them. */
  restore(): void {
    for (const [name, stock] of this.#stock) {
      if (tf.getKernel(name, this.backendName)) tf.unregisterKernel(name, this.backendName);
      if (stock) tf.registerKernel(stock);
    }
    this.#stock.clear();
  }
}
