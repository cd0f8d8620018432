import type { LibraryAllowlist } from './allowlist.js';

const STORAGES =
  'FloatStorage DoubleStorage HalfStorage BFloat16Storage LongStorage IntStorage ShortStorage CharStorage ' +
  'ByteStorage BoolStorage ComplexFloatStorage ComplexDoubleStorage QUInt8Storage QInt8Storage QInt32Storage ' +
  'QUInt4x2Storage QUInt2x4Storage';

/** Legacy tensor types, named by the old tar format's `tensors` member. */
const LEGACY_TENSOR_TYPES =
  'FloatTensor DoubleTensor HalfTensor BFloat16Tensor LongTensor IntTensor ShortTensor CharTensor ByteTensor ' +
  'BoolTensor';

/**
 * What `torch.save` writes: tensor rebuilders, storages, dtypes, layouts and memory formats (pickled by
 * name, e.g. `torch float32`, `torch contiguous_format`), the standard `nn` layers under their real
 * module paths, optimizers and schedulers saved whole, and distributed-checkpoint metadata.
 */
export const PYTORCH_ALLOWLIST: LibraryAllowlist = {
  library: 'pytorch',
  modules: {
    torch: [
      'Size device Tensor Generator UntypedStorage TypedStorage relu tanh sigmoid',
      STORAGES,
      LEGACY_TENSOR_TYPES,
      'float32 float float64 double float16 half bfloat16 int8 int16 short int32 int int64 long uint8 uint16 ' +
        'uint32 uint64 bool complex32 chalf complex64 cfloat complex128 cdouble quint8 qint8 qint32 quint4x2 ' +
        'quint2x4 float8_e4m3fn float8_e5m2 float8_e4m3fnuz float8_e5m2fnuz float8_e8m0fnu float4_e2m1fn_x2 ' +
        'bits8 bits16 bits1x8 bits2x4 bits4x2',
      'strided sparse_coo sparse_csr sparse_csc sparse_bsr sparse_bsc _mkldnn jagged',
      'contiguous_format channels_last channels_last_3d preserve_format',
      'per_tensor_affine per_channel_affine per_tensor_symmetric per_channel_symmetric per_channel_affine_float_qparams',
    ],
    'torch.cuda': [STORAGES, LEGACY_TENSOR_TYPES],
    'torch._utils': [
      '_rebuild_tensor _rebuild_tensor_v2 _rebuild_tensor_v3 _rebuild_parameter _rebuild_parameter_with_state ' +
        '_rebuild_qtensor _rebuild_sparse_tensor _rebuild_sparse_csr_tensor _rebuild_nested_tensor ' +
        '_rebuild_device_tensor_from_numpy _rebuild_device_tensor_from_cpu_tensor _rebuild_meta_tensor_no_storage ' +
        '_rebuild_wrapper_subclass _rebuild_xla_tensor _rebuild_mlc_tensor',
    ],
    'torch._tensor': ['_rebuild_from_type _rebuild_from_type_v2 Tensor'],
    // `_load_from_bytes` unpickles its argument with torch.load; the scanner re-scans those bytes.
    'torch.storage': ['_load_from_bytes TypedStorage UntypedStorage'],
    'torch.serialization': ['_get_layout'],
    'torch.torch_version': ['TorchVersion'],
    'torch.nn.parameter': ['Parameter Buffer UninitializedParameter UninitializedBuffer'],
    'torch.nn.modules.module': ['Module'],
    'torch.nn.modules.container': ['Container Sequential ModuleList ModuleDict ParameterList ParameterDict'],
    'torch.nn.modules.linear': ['Identity Linear Bilinear LazyLinear NonDynamicallyQuantizableLinear'],
    'torch.nn.modules.conv': [
      'Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d LazyConv1d LazyConv2d LazyConv3d ' +
        'LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d',
    ],
    'torch.nn.modules.activation': [
      'Threshold ReLU RReLU Hardtanh ReLU6 Sigmoid Hardsigmoid Tanh SiLU Mish Hardswish ELU CELU SELU GLU GELU ' +
        'Hardshrink LeakyReLU LogSigmoid Softplus Softshrink MultiheadAttention PReLU Softsign Tanhshrink Softmin ' +
        'Softmax Softmax2d LogSoftmax',
    ],
    'torch.nn.modules.adaptive': ['AdaptiveLogSoftmaxWithLoss'],
    'torch.nn.modules.batchnorm': [
      'BatchNorm1d BatchNorm2d BatchNorm3d SyncBatchNorm LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d',
    ],
    'torch.nn.modules.channelshuffle': ['ChannelShuffle'],
    'torch.nn.modules.distance': ['PairwiseDistance CosineSimilarity'],
    'torch.nn.modules.dropout': ['Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout'],
    'torch.nn.modules.flatten': ['Flatten Unflatten'],
    'torch.nn.modules.fold': ['Fold Unfold'],
    'torch.nn.modules.instancenorm': [
      'InstanceNorm1d InstanceNorm2d InstanceNorm3d LazyInstanceNorm1d LazyInstanceNorm2d LazyInstanceNorm3d',
    ],
    'torch.nn.modules.loss': [
      'L1Loss NLLLoss NLLLoss2d PoissonNLLLoss GaussianNLLLoss KLDivLoss MSELoss BCELoss BCEWithLogitsLoss ' +
        'HingeEmbeddingLoss MultiLabelMarginLoss SmoothL1Loss HuberLoss SoftMarginLoss CrossEntropyLoss ' +
        'MultiLabelSoftMarginLoss CosineEmbeddingLoss MarginRankingLoss MultiMarginLoss TripletMarginLoss ' +
        'TripletMarginWithDistanceLoss CTCLoss',
    ],
    'torch.nn.modules.normalization': ['LocalResponseNorm CrossMapLRN2d LayerNorm GroupNorm RMSNorm'],
    'torch.nn.modules.padding': [
      'ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d ReflectionPad2d ReflectionPad3d ' +
        'ReplicationPad1d ReplicationPad2d ReplicationPad3d ZeroPad1d ZeroPad2d ZeroPad3d CircularPad1d ' +
        'CircularPad2d CircularPad3d',
    ],
    'torch.nn.modules.pixelshuffle': ['PixelShuffle PixelUnshuffle'],
    'torch.nn.modules.pooling': [
      'AvgPool1d AvgPool2d AvgPool3d MaxPool1d MaxPool2d MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d ' +
        'FractionalMaxPool2d FractionalMaxPool3d LPPool1d LPPool2d LPPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d ' +
        'AdaptiveMaxPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d',
    ],
    'torch.nn.modules.rnn': ['RNNBase RNN LSTM GRU RNNCellBase RNNCell LSTMCell GRUCell'],
    'torch.nn.modules.sparse': ['Embedding EmbeddingBag'],
    'torch.nn.modules.transformer': [
      'Transformer TransformerEncoder TransformerDecoder TransformerEncoderLayer TransformerDecoderLayer',
    ],
    'torch.nn.modules.upsampling': ['Upsample UpsamplingNearest2d UpsamplingBilinear2d'],
    // Activations stored as attributes, e.g. TransformerEncoderLayer.activation = F.relu.
    'torch.nn.functional': [
      'relu gelu silu elu selu celu leaky_relu relu6 hardtanh hardsigmoid hardswish mish softplus softmax ' +
        'log_softmax sigmoid tanh glu',
    ],
    'torch.nn.utils.weight_norm': ['WeightNorm'],
    'torch.nn.utils.spectral_norm': [
      'SpectralNorm SpectralNormStateDictHook SpectralNormLoadStateDictPreHook',
    ],
    'torch.optim.optimizer': ['_RequiredParameter'],
    'torch.optim.adam': ['Adam'],
    'torch.optim.adamw': ['AdamW'],
    'torch.optim.sgd': ['SGD'],
    'torch.optim.rmsprop': ['RMSprop'],
    'torch.optim.adagrad': ['Adagrad'],
    'torch.optim.adadelta': ['Adadelta'],
    'torch.optim.adamax': ['Adamax'],
    'torch.optim.nadam': ['NAdam'],
    'torch.optim.radam': ['RAdam'],
    'torch.optim.asgd': ['ASGD'],
    'torch.optim.lbfgs': ['LBFGS'],
    'torch.optim.rprop': ['Rprop'],
    'torch.optim.sparse_adam': ['SparseAdam'],
    'torch.optim._adafactor': ['Adafactor'],
    'torch.optim.lr_scheduler': [
      'LRScheduler _LRScheduler LambdaLR MultiplicativeLR StepLR MultiStepLR ConstantLR LinearLR ExponentialLR ' +
        'SequentialLR CosineAnnealingLR ChainedScheduler ReduceLROnPlateau CyclicLR CosineAnnealingWarmRestarts ' +
        'OneCycleLR PolynomialLR',
    ],
    'torch.amp.grad_scaler': ['GradScaler'],
    'torch.cuda.amp.grad_scaler': ['GradScaler'],
    'torch.utils.data.dataset': ['TensorDataset Subset ConcatDataset'],
    'torch.ao.quantization.stubs': ['QuantStub DeQuantStub QuantWrapper'],
    'torch.ao.nn.quantized.modules': ['Quantize DeQuantize'],
    'torch.ao.nn.quantized.modules.linear': ['Linear LinearPackedParams'],
    'torch.distributed.checkpoint.metadata': [
      'Metadata TensorStorageMetadata BytesStorageMetadata ChunkStorageMetadata TensorProperties MetadataIndex ' +
        'StorageMeta',
    ],
    'torch.distributed.checkpoint.filesystem': ['_StorageInfo _StoragePrefix'],
    'torch.distributed.checkpoint.planner': ['WriteItemType LoadItemType'],
  },
};
