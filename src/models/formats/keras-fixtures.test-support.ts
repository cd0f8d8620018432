/**
 * Keras configs for tests, shaped like what Keras 3.x (`config.json` in a `.keras` zip) and tf.keras 2.x
 * (`model_config` in an HDF5 file, `model.to_json()`) write.
 */

/** base64 of `marshal.dumps((lambda x: exec("id")).__code__)`-like bytes: any payload looks like this. */
export const LAMBDA_BYTECODE =
  '4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMIAAAAdABkAYMBUwApAk56AmlkKQHaBGV4ZWMpAdoBeKkAcgQAAAD6AzxzdGRpbj7aCDxsYW1iZGE+AQAAAHMCAAAACAA=';

const DTYPE = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

/** A Keras 3 Dense layer config. */
export function keras3Dense(name: string, units: number, activation: unknown, inputDim: number): object {
  return {
    module: 'keras.layers',
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: DTYPE,
      units,
      activation,
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null },
        registered_name: null,
      },
      bias_initializer: {
        module: 'keras.initializers',
        class_name: 'Zeros',
        config: {},
        registered_name: null,
      },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
    registered_name: null,
    build_config: { input_shape: [null, inputDim] },
  };
}

/** A Keras 3 Sequential model config with the given layers after the input layer. */
export function keras3Sequential(layers: readonly object[]): object {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: DTYPE,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        ...layers,
      ],
      build_input_shape: [null, 4],
    },
    registered_name: null,
    build_config: { input_shape: [null, 4] },
    compile_config: {
      optimizer: {
        module: 'keras.optimizers',
        class_name: 'Adam',
        config: {
          name: 'adam',
          learning_rate: 0.0010000000474974513,
          weight_decay: null,
          clipnorm: null,
          global_clipnorm: null,
          clipvalue: null,
          use_ema: false,
          ema_momentum: 0.99,
          ema_overwrite_frequency: null,
          loss_scale_factor: null,
          gradient_accumulation_steps: null,
          beta_1: 0.9,
          beta_2: 0.999,
          epsilon: 1e-7,
          amsgrad: false,
        },
        registered_name: null,
      },
      loss: {
        module: 'keras.losses',
        class_name: 'function',
        config: 'binary_crossentropy',
        registered_name: 'binary_crossentropy',
      },
      loss_weights: null,
      metrics: ['accuracy'],
      weighted_metrics: null,
      run_eagerly: false,
      steps_per_execution: 1,
      jit_compile: false,
    },
  };
}

/** The benign Keras 3 Dense model: input 4 → Dense(16, relu) → Dense(1, sigmoid). */
export function keras3DenseModel(): object {
  return keras3Sequential([keras3Dense('dense', 16, 'relu', 4), keras3Dense('dense_1', 1, 'sigmoid', 16)]);
}

/** A Keras 3 functional model (two inputs, Concatenate, Dense), with `__keras_tensor__` node args. */
export function keras3FunctionalModel(): object {
  const tensor = (layer: string, shape: number) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, shape], dtype: 'float32', keras_history: [layer, 0, 0] },
  });
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'functional',
      trainable: true,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'a' },
          registered_name: null,
          name: 'a',
          inbound_nodes: [],
        },
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 5], dtype: 'float32', sparse: false, name: 'b' },
          registered_name: null,
          name: 'b',
          inbound_nodes: [],
        },
        {
          module: 'keras.layers',
          class_name: 'Concatenate',
          config: { name: 'concatenate', trainable: true, dtype: DTYPE, axis: -1 },
          registered_name: null,
          build_config: {
            input_shape: [
              [null, 3],
              [null, 5],
            ],
          },
          name: 'concatenate',
          inbound_nodes: [{ args: [[tensor('a', 3), tensor('b', 5)]], kwargs: {} }],
        },
        {
          ...keras3Dense(
            'dense',
            2,
            {
              module: 'keras.activations',
              class_name: 'function',
              config: 'softmax',
              registered_name: 'softmax',
            },
            8,
          ),
          name: 'dense',
          inbound_nodes: [{ args: [tensor('concatenate', 8)], kwargs: {} }],
        },
      ],
      input_layers: [
        ['a', 0, 0],
        ['b', 0, 0],
      ],
      output_layers: [['dense', 0, 0]],
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

/** A legacy tf.keras 2.x layer config (no `module`, as in HDF5 `model_config`). */
export function legacyDense(name: string, units: number, activation: string): object {
  return {
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: 'float32',
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

/** A legacy tf.keras Sequential `model_config` with the given layers after the input layer. */
export function legacySequential(layers: readonly object[]): object {
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        {
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [null, 4],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: 'dense_input',
          },
        },
        ...layers,
      ],
    },
    keras_version: '2.12.0',
    backend: 'tensorflow',
  };
}

/** The benign legacy tf.keras Dense model. */
export function legacyDenseModel(): object {
  return legacySequential([legacyDense('dense', 16, 'relu'), legacyDense('dense_1', 1, 'sigmoid')]);
}

/** A legacy tf.keras Lambda layer carrying marshalled bytecode. */
export function legacyLambda(): object {
  return {
    class_name: 'Lambda',
    config: {
      name: 'lambda',
      trainable: true,
      dtype: 'float32',
      function: [LAMBDA_BYTECODE, null, null],
      function_type: 'lambda',
      module: '__main__',
      output_shape: null,
      output_shape_type: 'raw',
      output_shape_module: null,
      arguments: {},
    },
  };
}

/** A Keras 3 Lambda layer carrying marshalled bytecode. */
export function keras3Lambda(): object {
  return {
    module: 'keras.layers',
    class_name: 'Lambda',
    config: {
      name: 'lambda',
      trainable: true,
      dtype: DTYPE,
      function: {
        class_name: '__lambda__',
        config: { code: LAMBDA_BYTECODE, defaults: null, closure: null },
      },
      arguments: {},
    },
    registered_name: null,
    build_config: { input_shape: [null, 16] },
  };
}

/** A legacy tf.keras TFOpLambda layer calling `tf.<fn>`. */
export function tfOpLambda(fn: string): object {
  return {
    class_name: 'TFOpLambda',
    config: { name: `tf.${fn}`, trainable: true, dtype: 'float32', function: fn },
    name: `tf.${fn}`,
    inbound_nodes: [['dense', 0, 0, { y: 1.0, name: null }]],
  };
}

/** Encodes a config as the UTF-8 JSON Keras writes. */
export function kerasJson(config: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(config));
}
